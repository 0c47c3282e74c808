import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import type { Notice, NoticeInput } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { ConfirmButton } from '../../ui/confirm';
import { Dialog } from '../../ui/dialog';
import { Checkbox, SelectField, TextAreaField, TextField } from '../../ui/field';
import { QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useToast } from '../../ui/toast';

const key = ['notices'];
const types = ['notice', 'update', 'maintenance'] as const;
const priorities = ['low', 'normal', 'high', 'critical'] as const;
const priorityTone = { low: 'neutral', normal: 'accent', high: 'warn', critical: 'danger' } as const;

/** `datetime-local` wants local "YYYY-MM-DDTHH:mm"; the API speaks ISO instants. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

/** System notices (maintenance, updates): shown on the sign-in page and above every page while active. */
export default function NoticesPage() {
  const { t, date } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const notices = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/notify/notices', { params: { query: { limit: 100 } } })),
  });
  const [editing, setEditing] = useState<Notice | 'new' | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/notify/notices/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      toast.ok(t('admin.notices.deleted'));
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });

  const columns: Column<Notice>[] = [
    {
      key: 'title',
      header: t('admin.notices.notice'),
      cell: (n) => (
        <div className="flex max-w-md flex-col">
          <span className="font-medium">{n.title}</span>
          <span className="line-clamp-2 text-xs text-muted">{n.content}</span>
        </div>
      ),
    },
    {
      key: 'type',
      header: t('admin.notices.type'),
      wide: true,
      cell: (n) => t(`admin.notices.types.${n.notice_type}`),
    },
    {
      key: 'priority',
      header: t('admin.notices.priority'),
      cell: (n) => (
        <Badge tone={priorityTone[n.priority]}>{t(`admin.notices.priorities.${n.priority}`)}</Badge>
      ),
    },
    {
      key: 'active',
      header: t('common.status'),
      cell: (n) =>
        n.is_active ? (
          <Badge tone="ok">{t('admin.notices.active')}</Badge>
        ) : (
          <Badge>{t('admin.notices.inactive')}</Badge>
        ),
    },
    {
      key: 'window',
      header: t('admin.notices.window'),
      wide: true,
      cell: (n) => (
        <span className="text-xs">
          {n.display_from || n.display_until
            ? `${date(n.display_from)} → ${date(n.display_until)}`
            : t('admin.notices.always')}
        </span>
      ),
    },
    {
      key: 'actions',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      cell: (n) => (
        <div className="flex justify-end gap-2">
          <Button
            size="sm"
            onClick={() => setEditing(n)}
            aria-label={t('admin.notices.editNamed', { title: n.title })}
          >
            {t('common.edit')}
          </Button>
          <ConfirmButton
            label={t('admin.notices.deleteNamed', { title: n.title })}
            title={t('admin.notices.deleteTitle')}
            message={t('admin.notices.deleteConfirm', { title: n.title })}
            confirmLabel={t('common.delete')}
            onConfirm={() => remove.mutate(n.id)}
          >
            {t('common.delete')}
          </ConfirmButton>
        </div>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('admin.notices.title')}
        description={t('admin.notices.description')}
        actions={
          <Button
            variant="primary"
            onClick={() => setEditing('new')}
            icon={<Plus aria-hidden className="size-4" />}
          >
            {t('admin.notices.create')}
          </Button>
        }
      />
      {remove.error && (
        <Alert kind="error" className="mb-4">
          {remove.error.message}
        </Alert>
      )}
      <Panel title={t('admin.notices.all')}>
        <QueryView query={notices} isEmpty={(d) => d.items.length === 0} empty={t('admin.notices.empty')}>
          {(data) => (
            <DataTable
              caption={t('admin.notices.all')}
              columns={columns}
              rows={data.items}
              rowKey={(n) => n.id}
            />
          )}
        </QueryView>
      </Panel>
      {editing && (
        <NoticeDialog notice={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

const fields = ['body.title', 'body.content', 'body.display_from', 'body.display_until'] as const;

function NoticeDialog({ notice, onClose }: { notice: Notice | null; onClose(): void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(notice?.title ?? '');
  const [content, setContent] = useState(notice?.content ?? '');
  const [type, setType] = useState<NoticeInput['notice_type']>(notice?.notice_type ?? 'notice');
  const [priority, setPriority] = useState<NonNullable<NoticeInput['priority']>>(
    notice?.priority ?? 'normal',
  );
  const [active, setActive] = useState(notice?.is_active ?? true);
  const [displayFrom, setDisplayFrom] = useState(toLocalInput(notice?.display_from ?? null));
  const [displayUntil, setDisplayUntil] = useState(toLocalInput(notice?.display_until ?? null));
  const [local, setLocal] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () => {
      const body: NoticeInput = {
        title: title.trim(),
        content: content.trim(),
        notice_type: type,
        priority,
        is_active: active,
        display_from: fromLocalInput(displayFrom),
        display_until: fromLocalInput(displayUntil),
      };
      return unwrap(
        notice
          ? api.PUT('/notify/notices/{id}', { params: { path: { id: notice.id } }, body })
          : api.POST('/notify/notices', { body }),
      );
    },
    onSuccess: () => {
      toast.ok(t('common.saved'));
      onClose();
      return queryClient.invalidateQueries({ queryKey: ['notices'] });
    },
  });
  const server = formErrors(save.error, fields);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!title.trim()) problems['body.title'] = t('validation.required');
    if (!content.trim()) problems['body.content'] = t('validation.required');
    if (displayFrom && displayUntil && new Date(displayUntil) <= new Date(displayFrom))
      problems['body.display_until'] = t('admin.notices.untilAfterFrom');
    setLocal(problems);
    if (Object.keys(problems).length === 0) save.mutate();
  };
  return (
    <Dialog
      open
      onClose={onClose}
      wide
      title={notice ? t('admin.notices.edit') : t('admin.notices.create')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="notice-form" variant="primary" busy={save.isPending}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form id="notice-form" onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
        {server.general && (
          <Alert kind="error" className="sm:col-span-2">
            {server.general}
          </Alert>
        )}
        <TextField
          className="sm:col-span-2"
          label={t('admin.notices.titleField')}
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          error={local['body.title'] ?? server.byField['body.title']}
        />
        <TextAreaField
          className="sm:col-span-2"
          label={t('admin.notices.content')}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          error={local['body.content'] ?? server.byField['body.content']}
        />
        <SelectField
          label={t('admin.notices.type')}
          value={type}
          onChange={(e) => setType(e.target.value as NoticeInput['notice_type'])}
          options={types.map((v) => ({ value: v, label: t(`admin.notices.types.${v}`) }))}
        />
        <SelectField
          label={t('admin.notices.priority')}
          value={priority}
          onChange={(e) => setPriority(e.target.value as NonNullable<NoticeInput['priority']>)}
          options={priorities.map((v) => ({ value: v, label: t(`admin.notices.priorities.${v}`) }))}
        />
        <TextField
          label={t('admin.notices.from')}
          type="datetime-local"
          value={displayFrom}
          onChange={(e) => setDisplayFrom(e.target.value)}
          error={server.byField['body.display_from']}
        />
        <TextField
          label={t('admin.notices.until')}
          type="datetime-local"
          value={displayUntil}
          onChange={(e) => setDisplayUntil(e.target.value)}
          error={local['body.display_until'] ?? server.byField['body.display_until']}
        />
        <Checkbox
          className="sm:col-span-2"
          label={t('admin.notices.activeField')}
          hint={t('admin.notices.activeHint')}
          checked={active}
          onChange={(e) => setActive(e.target.checked)}
        />
      </form>
    </Dialog>
  );
}
