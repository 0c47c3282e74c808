import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { Check, Circle, Loader2, X } from 'lucide-react';
import { Link } from 'react-router';
import { ApiError } from '../../../api/problem';
import { signInPath } from '../../../app/paths';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Button, buttonClass } from '../../../ui/button';
import { cx } from '../../../ui/cx';
import type { RequestStatus, ReviewDetail } from '../types';
import { DiffViewer } from './diff-viewer';
import { SummaryCard } from './summary-card';

/** Statuses after which nothing changes unless someone pushes again. */
const settled: ReadonlySet<RequestStatus> = new Set(['pushed', 'push_failed', 'rejected']);
export const POLL_MS = 2000;

/**
 * After the decision: the change, where the approved message is — approved, committed by the local
 * agent, pushed (with the sha) or refused by the remote (with git's reason) — and the diff.
 * Polls every 2 s until settled.
 */
export function DecidedReview({
  initial,
  followKey,
  follow,
}: {
  initial: ReviewDetail;
  followKey: readonly unknown[];
  follow(): Promise<ReviewDetail>;
}) {
  const query = useQuery({
    queryKey: followKey,
    queryFn: follow,
    initialData: initial,
    initialDataUpdatedAt: 0,
    refetchInterval: (q) =>
      q.state.data && settled.has(q.state.data.status)
        ? false
        : q.state.error instanceof ApiError && q.state.error.status < 500
          ? false
          : POLL_MS,
    refetchOnWindowFocus: false,
  });
  const detail = query.data ?? initial;
  return (
    <div className="flex flex-col gap-4">
      <SummaryCard detail={detail} />
      <StatusCard detail={detail} query={query} />
      <DiffViewer files={detail.filesChanged} />
    </div>
  );
}

function StatusCard({ detail, query }: { detail: ReviewDetail; query: UseQueryResult<ReviewDetail> }) {
  const { t } = useI18n();
  const { status, finalized } = detail;
  const sha = finalized?.commit_sha ?? null;
  const noSession =
    query.error instanceof ApiError && (query.error.status === 401 || query.error.status === 403);

  return (
    <section
      aria-labelledby="status-heading"
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
    >
      <h2 id="status-heading" className="text-base font-semibold">
        {t('commits.follow.title')}
      </h2>
      {status !== 'rejected' && <Steps status={status} />}
      <div role="status" aria-live="polite">
        {status === 'rejected' && <Alert kind="info">{t('commits.follow.rejected')}</Alert>}
        {status === 'approved' && !noSession && (
          <p className="flex items-center gap-2 text-sm">
            <Loader2 aria-hidden className="size-4 shrink-0 animate-spin text-muted" />
            {t('commits.follow.approved')}
          </p>
        )}
        {status === 'committed' && (
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Loader2 aria-hidden className="size-4 shrink-0 animate-spin text-muted" />
            {t('commits.follow.committed')} <Sha sha={sha} />
          </p>
        )}
        {status === 'pushed' && (
          <Alert kind="ok" title={t('commits.follow.pushed')}>
            <Sha sha={sha} />
          </Alert>
        )}
        {status === 'push_failed' && (
          <Alert kind="error" title={t('commits.follow.pushFailed')}>
            <span className="block whitespace-pre-wrap break-words font-mono text-xs">
              {finalized?.push_error ?? t('commits.follow.noReason')}
            </span>
            <span className="mt-2 block">{t('commits.follow.nothingLost')}</span>
          </Alert>
        )}
      </div>
      {noSession && status === 'approved' && (
        <Alert
          kind="info"
          title={t('commits.follow.approvedTitle')}
          action={
            <Link
              to={signInPath(`/commits/requests/${detail.id}`)}
              className={buttonClass('secondary', 'sm')}
            >
              {t('commits.follow.signIn')}
            </Link>
          }
        >
          {t('commits.follow.signInToFollow')}
        </Alert>
      )}
      {query.isError && !noSession && (
        <Alert
          kind="warn"
          action={
            <Button size="sm" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </Button>
          }
        >
          {query.error instanceof ApiError ? query.error.detail : t('errors.staleData')}
        </Alert>
      )}
      {status === 'push_failed' && !query.isError && (
        <div>
          <Button size="sm" onClick={() => void query.refetch()} busy={query.isFetching}>
            {t('commits.follow.checkAgain')}
          </Button>
        </div>
      )}
      {finalized && (
        <div>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-muted">
            {t('commits.follow.message')}
          </h3>
          <pre className="whitespace-pre-wrap break-words rounded-md bg-surface-2 p-3 font-mono text-sm">
            {finalized.message}
          </pre>
        </div>
      )}
    </section>
  );
}

function Sha({ sha }: { sha: string | null }) {
  return sha ? (
    <code className="rounded bg-surface-2 px-1.5 py-0.5 font-mono text-sm">{sha.slice(0, 12)}</code>
  ) : null;
}

const steps = ['approved', 'committed', 'pushed'] as const;

function Steps({ status }: { status: RequestStatus }) {
  const { t } = useI18n();
  const reached = status === 'push_failed' ? 1 : steps.indexOf(status as (typeof steps)[number]);
  return (
    <ol
      aria-label={t('commits.follow.steps')}
      className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm"
    >
      {steps.map((step, index) => {
        const done = index <= reached;
        const failed = status === 'push_failed' && step === 'pushed';
        const Icon = failed ? X : done ? Check : Circle;
        return (
          <li key={step} className="flex items-center gap-1.5">
            {index > 0 && <span aria-hidden className="h-px w-4 bg-border" />}
            <Icon
              aria-hidden
              className={cx('size-4', failed ? 'text-danger' : done ? 'text-ok' : 'text-muted')}
            />
            <span className={done || failed ? 'font-medium' : 'text-muted'}>
              {t(`commits.status.${failed ? 'push_failed' : step}`)}
              <span className="sr-only">
                {' '}
                (
                {failed
                  ? t('commits.follow.stepFailed')
                  : done
                    ? t('commits.follow.stepDone')
                    : t('commits.follow.stepPending')}
                )
              </span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
