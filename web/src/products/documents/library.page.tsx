import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Download, RotateCcw, Trash2, Upload } from 'lucide-react';
import { type DragEvent, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { cx } from '../../ui/cx';
import { Popover } from '../../ui/popover';
import { ErrorPanel, Loading, QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useToast } from '../../ui/toast';
import { BasePicker, useBases } from './bases';
import { fileSize, shortType } from './format';
import type { DocumentRow } from './types';
import { uploadDocument } from './upload';

const exportFormats = ['json', 'csv', 'md', 'txt'] as const;

interface UploadItem {
  key: string;
  name: string;
  size: number;
  loaded: number;
  phase: 'uploading' | 'done' | 'error';
  error?: string;
  documentId?: string;
}

/** Knowledge bases, uploads with live progress, and the documents of the chosen base. */
export default function LibraryPage() {
  const { t } = useI18n();
  const bases = useBases();
  const [params, setParams] = useSearchParams();
  const items = bases.data?.items ?? [];
  const chosen = params.get('base');
  const baseId = items.find((b) => b.id === chosen)?.id ?? items[0]?.id ?? '';
  const choose = (id: string) => setParams({ base: id }, { replace: true });

  return (
    <>
      <PageHeader title={t('documents.library.title')} description={t('documents.library.description')} />
      <Panel title={t('documents.bases')} className="mb-4">
        {bases.isPending ? (
          <Loading />
        ) : bases.data === undefined ? (
          <ErrorPanel error={bases.error} onRetry={() => void bases.refetch()} />
        ) : (
          <>
            {items.length === 0 && <p className="mb-3 text-sm text-muted">{t('documents.noBases')}</p>}
            <BasePicker bases={items} value={baseId} onChange={choose} />
          </>
        )}
      </Panel>
      {baseId && <BaseDocuments key={baseId} baseId={baseId} />}
    </>
  );
}

function BaseDocuments({ baseId }: { baseId: string }) {
  const { t } = useI18n();
  const [trash, setTrash] = useState(false);
  const documentsKey = ['documents', baseId, trash];
  const documents = useQuery({
    queryKey: documentsKey,
    queryFn: () =>
      unwrap(
        api.GET('/api/documents', {
          params: { query: { knowledge_base_id: baseId, limit: 100, deleted: trash ? 'true' : 'false' } },
        }),
      ),
    // Processing status live: poll every second while anything is pending or processing.
    refetchInterval: (query) =>
      query.state.data?.items.some((d) => d.status === 'pending' || d.status === 'processing') ? 1000 : false,
  });
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['documents', baseId] });

  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = `${file.name}-${file.size}-${Math.random()}`;
      setUploads((u) => [
        { key, name: file.name, size: file.size, loaded: 0, phase: 'uploading' },
        ...u.slice(0, 19),
      ]);
      const update = (patch: Partial<UploadItem>) =>
        setUploads((u) => u.map((x) => (x.key === key ? { ...x, ...patch } : x)));
      uploadDocument(file, baseId, (loaded) => update({ loaded })).promise.then(
        (doc) => {
          update({ phase: 'done', loaded: file.size, documentId: doc.id });
          void refresh();
        },
        (error: unknown) =>
          update({
            phase: 'error',
            error:
              error instanceof ApiError
                ? error.detail
                : error instanceof Error
                  ? error.message
                  : String(error),
          }),
      );
    }
  };

  const byId = new Map((documents.data?.items ?? []).map((d) => [d.id, d]));
  return (
    <>
      <Panel title={t('documents.upload.title')} className="mb-4">
        <DropZone onFiles={start} />
        {uploads.length > 0 && (
          <ul aria-label={t('documents.upload.list')} className="mt-3 flex flex-col gap-2">
            {uploads.map((u) => (
              <UploadRow key={u.key} item={u} doc={u.documentId ? byId.get(u.documentId) : undefined} />
            ))}
          </ul>
        )}
      </Panel>
      <Panel
        title={trash ? t('documents.trash') : t('documents.list')}
        actions={
          <Button size="sm" aria-pressed={trash} onClick={() => setTrash(!trash)}>
            {trash ? t('documents.showDocuments') : t('documents.showTrash')}
          </Button>
        }
      >
        <QueryView
          query={documents}
          isEmpty={(d) => d.items.length === 0}
          empty={trash ? t('documents.trashEmpty') : t('documents.empty')}
        >
          {(data) => <DocumentTable rows={data.items} trash={trash} onChanged={refresh} />}
        </QueryView>
      </Panel>
    </>
  );
}

function DropZone({ onFiles }: { onFiles(files: FileList): void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (event.dataTransfer.files.length > 0) onFiles(event.dataTransfer.files);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the button inside is the keyboard path
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      className={cx(
        'flex flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-6 text-center text-sm',
        over ? 'border-accent bg-accent-soft' : 'border-border text-muted',
      )}
    >
      <Upload aria-hidden className="size-6" />
      <p>{t('documents.upload.drop')}</p>
      <Button variant="primary" onClick={() => input.current?.click()}>
        {t('documents.upload.choose')}
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        className="sr-only"
        tabIndex={-1}
        aria-label={t('documents.upload.choose')}
        onChange={(e) => {
          if (e.target.files?.length) onFiles(e.target.files);
          e.target.value = '';
        }}
      />
      <p className="text-xs">{t('documents.upload.formats')}</p>
    </div>
  );
}

function UploadRow({ item, doc }: { item: UploadItem; doc: DocumentRow | undefined }) {
  const { t } = useI18n();
  const percent = item.size > 0 ? Math.round((item.loaded / item.size) * 100) : 100;
  return (
    <li className="rounded-md border border-border px-3 py-2 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="min-w-0 truncate font-medium">{item.name}</span>
        {item.phase === 'uploading' && (
          <span className="text-xs text-muted">{t('documents.upload.uploading', { percent })}</span>
        )}
        {item.phase === 'done' &&
          (doc ? <StatusBadge doc={doc} /> : <Badge>{t('documents.status.pending')}</Badge>)}
        {item.phase === 'error' && <Badge tone="danger">{t('documents.upload.refused')}</Badge>}
      </div>
      {item.phase === 'uploading' && (
        <progress
          className="mt-2 h-2 w-full accent-accent"
          max={100}
          value={percent}
          aria-label={t('documents.upload.progressOf', { name: item.name })}
        />
      )}
      {item.phase === 'error' && (
        <Alert kind="error" className="mt-2">
          {item.error}
        </Alert>
      )}
    </li>
  );
}

export function StatusBadge({ doc }: { doc: DocumentRow }) {
  const { t } = useI18n();
  switch (doc.status) {
    case 'pending':
      return <Badge>{t('documents.status.pending')}</Badge>;
    case 'processing':
      return <Badge tone="accent">{t('documents.status.processing', { percent: doc.progress })}</Badge>;
    case 'completed':
      return <Badge tone="ok">{t('documents.status.completed')}</Badge>;
    default:
      return <Badge tone="danger">{t('documents.status.failed')}</Badge>;
  }
}

function counts(doc: DocumentRow, t: ReturnType<typeof useI18n>['t']): string {
  const parts: string[] = [];
  if (doc.page_count != null) parts.push(t('documents.pages', { count: doc.page_count }));
  if (doc.sheet_count != null) parts.push(t('documents.sheets', { count: doc.sheet_count }));
  if (doc.slide_count != null) parts.push(t('documents.slides', { count: doc.slide_count }));
  if (doc.status === 'completed') parts.push(t('documents.chunks', { count: doc.chunk_count }));
  return parts.join(' · ') || '—';
}

function DocumentTable({
  rows,
  trash,
  onChanged,
}: {
  rows: readonly DocumentRow[];
  trash: boolean;
  onChanged(): void;
}) {
  const { t, date } = useI18n();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/documents/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      toast.ok(t('documents.deleted'));
      onChanged();
    },
  });
  const restore = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/documents/{id}/restore', { params: { path: { id } } })),
    onSuccess: () => {
      toast.ok(t('documents.restored'));
      onChanged();
    },
  });
  const error = remove.error ?? restore.error;
  const columns: Column<DocumentRow>[] = [
    {
      key: 'name',
      header: t('documents.name'),
      cell: (d) => (
        <div className="flex max-w-xs flex-col">
          <span className="truncate font-medium">{d.filename}</span>
          <span className="text-xs text-muted">
            {shortType(d.mime_type)} · {fileSize(d.size_bytes)}
          </span>
        </div>
      ),
    },
    {
      key: 'status',
      header: t('common.status'),
      cell: (d) => (
        <div className="flex flex-col items-start gap-1">
          <StatusBadge doc={d} />
          {d.status === 'failed' && d.failure_reason && (
            <span className="max-w-xs text-xs text-danger">{d.failure_reason}</span>
          )}
        </div>
      ),
    },
    { key: 'counts', header: t('documents.contents'), wide: true, cell: (d) => counts(d, t) },
    { key: 'created', header: t('common.created'), wide: true, cell: (d) => date(d.created_at) },
    {
      key: 'actions',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      cell: (d) =>
        trash ? (
          <Button
            size="sm"
            icon={<RotateCcw aria-hidden className="size-4" />}
            aria-label={t('documents.restoreNamed', { name: d.filename })}
            busy={restore.isPending && restore.variables === d.id}
            onClick={() => restore.mutate(d.id)}
          >
            {t('documents.restore')}
          </Button>
        ) : (
          <div className="flex justify-end gap-2">
            {d.status === 'completed' && <ExportMenu doc={d} />}
            <Button
              size="sm"
              icon={<Trash2 aria-hidden className="size-4" />}
              aria-label={t('documents.deleteNamed', { name: d.filename })}
              busy={remove.isPending && remove.variables === d.id}
              onClick={() => remove.mutate(d.id)}
            >
              <span className="hidden sm:inline">{t('common.delete')}</span>
            </Button>
          </div>
        ),
    },
  ];
  return (
    <>
      {error && (
        <Alert kind="error" className="mb-3">
          {error.message}
        </Alert>
      )}
      <DataTable caption={t('documents.list')} columns={columns} rows={rows} rowKey={(d) => d.id} />
    </>
  );
}

function ExportMenu({ doc }: { doc: DocumentRow }) {
  const { t } = useI18n();
  return (
    <Popover
      label={t('documents.exportNamed', { name: doc.filename })}
      trigger={(props) => (
        <Button
          {...props}
          size="sm"
          icon={<Download aria-hidden className="size-4" />}
          aria-label={t('documents.exportNamed', { name: doc.filename })}
        >
          <span className="hidden sm:inline">{t('documents.export')}</span>
        </Button>
      )}
    >
      {(close) => (
        <ul className="flex flex-col py-1">
          {exportFormats.map((f) => (
            <li key={f}>
              <a
                className="block px-3 py-1.5 text-sm hover:bg-surface-2"
                href={`/api/documents/${doc.id}/export?format=${f}`}
                download
                onClick={() => close()}
              >
                {f.toUpperCase()}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
