import { ChevronDown, ChevronRight } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { useI18n } from '../../../i18n/i18n';
import { Button } from '../../../ui/button';
import { cx } from '../../../ui/cx';
import type { ChangedFile } from '../types';
import { type DiffRow, diffRows } from './diff-rows';

/** Rows shown per file before "Show all": a 1 MiB file must not freeze a phone. */
const FIRST_ROWS = 400;
/** Files open at first when the whole change is about this small. */
const OPEN_BELOW_ROWS = 600;

/** The change, file by file (each collapsible), with the lines of the scoped elements highlighted. */
export function DiffViewer({ files }: { files: readonly ChangedFile[] }) {
  const { t } = useI18n();
  const rows = useMemo(() => files.map(diffRows), [files]);
  const total = rows.reduce((n, r) => n + r.length, 0);
  return (
    <section aria-labelledby="diff-heading" className="rounded-lg border border-border bg-surface">
      <h2 id="diff-heading" className="border-b border-border px-4 py-3 text-base font-semibold">
        {t('commits.review.diff')}
      </h2>
      <ul className="divide-y divide-border">
        {files.map((file, index) => (
          <li key={file.path}>
            <FileDiff file={file} rows={rows[index] ?? []} initiallyOpen={total <= OPEN_BELOW_ROWS} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function FileDiff({
  file,
  rows,
  initiallyOpen,
}: {
  file: ChangedFile;
  rows: DiffRow[];
  initiallyOpen: boolean;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(initiallyOpen);
  const [all, setAll] = useState(false);
  const bodyId = useId();
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  const Chevron = open ? ChevronDown : ChevronRight;
  return (
    <div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen(!open)}
        className="flex w-full min-w-0 items-center gap-2 px-4 py-2.5 text-left text-sm hover:bg-surface-2"
      >
        <Chevron aria-hidden className="size-4 shrink-0 text-muted" />
        <span className="min-w-0 flex-1 break-all font-mono text-xs">
          {file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path}
        </span>
        <span className="shrink-0 font-mono text-xs">
          <span className="text-ok">+{file.addedLines}</span>{' '}
          <span className="text-danger">−{file.removedLines}</span>
        </span>
      </button>
      {open && (
        <div id={bodyId} className="border-t border-border">
          {rows.length === 0 ? (
            <p className="px-4 py-3 text-sm text-muted">{t('commits.review.noHunks')}</p>
          ) : (
            <div data-file={file.path} className="relative overflow-x-auto font-mono text-xs leading-5">
              {shown.map((row) => (
                <Row key={row.key} row={row} />
              ))}
            </div>
          )}
          {shown.length < rows.length && (
            <div className="border-t border-border px-4 py-2">
              <Button size="sm" onClick={() => setAll(true)}>
                {t('commits.review.showAll', { count: rows.length })}
              </Button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

const sign = { add: '+', del: '−', context: ' ', hunk: '' } as const;

function Row({ row }: { row: DiffRow }) {
  const { t } = useI18n();
  if (row.kind === 'hunk')
    return <div className="bg-surface-2 px-3 py-1 break-all whitespace-pre-wrap text-muted">{row.text}</div>;
  const scoped = row.element !== null;
  return (
    <>
      {row.elementStart && (
        <div className="border-l-4 border-accent bg-accent-soft px-3 pt-1 font-sans text-[11px] font-semibold text-accent">
          {row.element}
        </div>
      )}
      <div
        data-element={row.element ?? undefined}
        className={cx(
          'grid grid-cols-[2.75rem_1rem_minmax(0,1fr)] border-l-4',
          scoped ? 'border-accent' : 'border-transparent',
          row.kind === 'add' && 'bg-ok-soft',
          row.kind === 'del' && 'bg-danger-soft',
          scoped && row.kind === 'context' && 'bg-accent-soft/60',
        )}
      >
        <span aria-hidden className="select-none pr-2 text-right text-muted">
          {row.newLine ?? row.oldLine}
        </span>
        <span
          className={cx(
            'select-none',
            row.kind === 'add' ? 'text-ok' : row.kind === 'del' ? 'text-danger' : '',
          )}
        >
          <span aria-hidden>{sign[row.kind]}</span>
          {row.kind !== 'context' && (
            <span className="sr-only">
              {row.kind === 'add' ? t('commits.review.added') : t('commits.review.removed')}
            </span>
          )}
        </span>
        <span className="whitespace-pre-wrap break-words [overflow-wrap:anywhere] pr-3">
          {row.text || ' '}
        </span>
      </div>
    </>
  );
}
