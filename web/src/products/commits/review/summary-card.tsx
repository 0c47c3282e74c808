import { GitBranch } from 'lucide-react';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Badge } from '../../../ui/badge';
import type { ReviewDetail } from '../types';
import { StatusBadge } from './status-badge';

const TOP_SHOWN = 5;

/** What changed, in one card: repository, branch, size, the main elements and themes. */
export function SummaryCard({ detail }: { detail: ReviewDetail }) {
  const { t, date } = useI18n();
  const top = detail.scoping?.top ?? [];
  const themes = detail.scoping?.themes ?? [];
  return (
    <section
      aria-labelledby="summary-heading"
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 id="summary-heading" className="min-w-0 break-all text-base font-semibold">
          {detail.repositoryName ?? t('commits.review.change')}
        </h2>
        <span className="inline-flex min-w-0 items-center gap-1 text-sm text-muted">
          <GitBranch aria-hidden className="size-4 shrink-0" />
          <span className="break-all font-mono text-xs">{detail.branch ?? t('commits.review.noBranch')}</span>
        </span>
        <StatusBadge status={detail.status} />
      </div>
      <p className="text-sm">
        {detail.files === 1 ? t('commits.review.file') : t('commits.review.files', { count: detail.files })}
        {' · '}
        <span className="font-mono text-ok">+{detail.addedLines}</span>{' '}
        <span className="font-mono text-danger">−{detail.removedLines}</span>
        <span className="sr-only">
          {' '}
          ({t('commits.review.linesChanged', { added: detail.addedLines, removed: detail.removedLines })})
        </span>
      </p>
      {top.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">
            {t('commits.review.top')}
          </h3>
          <ul className="flex flex-wrap gap-1.5">
            {top.slice(0, TOP_SHOWN).map((e) => (
              <li
                key={e.id}
                className="inline-flex min-w-0 max-w-full items-center gap-1.5 rounded-md border border-border bg-surface-2 px-2 py-0.5 text-xs"
              >
                <span className="min-w-0 break-all font-mono font-medium">{e.name}</span>
                <span className="text-muted">{e.kind}</span>
                {e.guardAdded && <Badge tone="accent">{t('commits.review.guard')}</Badge>}
              </li>
            ))}
            {top.length > TOP_SHOWN && (
              <li className="px-1 py-0.5 text-xs text-muted">
                {t('commits.review.moreElements', { count: top.length - TOP_SHOWN })}
              </li>
            )}
          </ul>
        </div>
      )}
      {themes.length > 0 && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">
            {t('commits.review.themes')}
          </h3>
          <ul className="flex flex-col gap-0.5 text-sm">
            {themes.map((theme) => (
              <li key={theme.label} className="break-words">
                {theme.label}{' '}
                <span className="text-xs text-muted">
                  {theme.type} · {Math.round(theme.share * 100)}%
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {detail.scoping && !detail.scoping.relatedThemes && (
        <Alert kind="warn">{t('commits.review.unrelated')}</Alert>
      )}
      {(detail.truncated || detail.skipped.length > 0) && (
        <p className="text-xs text-muted">
          {detail.truncated && t('commits.review.truncated')}{' '}
          {detail.skipped.length > 0 &&
            t('commits.review.skipped', { files: detail.skipped.map((s) => s.path).join(', ') })}
        </p>
      )}
      {detail.linkExpiresAt && detail.status === 'ready' && (
        <p className="text-xs text-muted">
          {t('commits.review.expires', { time: date(detail.linkExpiresAt, 'time') })}
        </p>
      )}
    </section>
  );
}
