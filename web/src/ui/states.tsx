import type { UseQueryResult } from '@tanstack/react-query';
import { Inbox, Loader2, RefreshCw, WifiOff } from 'lucide-react';
import type { ReactNode } from 'react';
import { ApiError, NetworkError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import { Alert } from './alert';
import { Button } from './button';
import { cx } from './cx';

export function Spinner({ label, className }: { label: string; className?: string }) {
  return (
    <span role="status" className={cx('inline-flex items-center gap-2 text-sm text-muted', className)}>
      <Loader2 aria-hidden className="size-4 animate-spin" />
      <span>{label}</span>
    </span>
  );
}

export function Loading({ className }: { className?: string }) {
  const { t } = useI18n();
  return (
    <div className={cx('flex min-h-24 items-center justify-center py-8', className)}>
      <Spinner label={t('common.loading')} />
    </div>
  );
}

/** What went wrong, in the server's words (problem+json `detail`), and a way to try again. */
export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const offline = error instanceof NetworkError;
  const detail =
    error instanceof ApiError ? error.detail : offline ? t('errors.network') : t('errors.unexpected');
  return (
    <div className="flex flex-col items-center gap-3 rounded-lg border border-border bg-surface px-4 py-8 text-center">
      {offline && <WifiOff aria-hidden className="size-6 text-muted" />}
      <Alert
        kind="error"
        title={offline ? t('errors.networkTitle') : t('errors.title')}
        className="max-w-lg text-left"
      >
        {detail}
        {error instanceof ApiError && error.traceUuid && (
          <span className="mt-1 block font-mono text-xs">trace {error.traceUuid}</span>
        )}
      </Alert>
      {onRetry && (
        <Button onClick={onRetry} icon={<RefreshCw aria-hidden className="size-4" />}>
          {t('common.retry')}
        </Button>
      )}
    </div>
  );
}

export function EmptyState({ children, icon }: { children: ReactNode; icon?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 py-10 text-center text-sm text-muted">
      {icon ?? <Inbox aria-hidden className="size-6" />}
      <div>{children}</div>
    </div>
  );
}

/**
 * Loading, error (with retry), empty and data states of one query, the same way everywhere.
 * A failed refresh keeps the data on screen and says so above it.
 */
export function QueryView<T>({
  query,
  children,
  isEmpty,
  empty,
}: {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  const { t } = useI18n();
  if (query.isPending) return <Loading />;
  if (query.data === undefined)
    return <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      {query.isError && (
        <Alert
          kind="warn"
          className="mb-3"
          action={
            <Button size="sm" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </Button>
          }
        >
          {query.error instanceof ApiError ? query.error.detail : t('errors.staleData')}
        </Alert>
      )}
      {isEmpty?.(query.data) ? <EmptyState>{empty ?? t('common.empty')}</EmptyState> : children(query.data)}
    </>
  );
}
