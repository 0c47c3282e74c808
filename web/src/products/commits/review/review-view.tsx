import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Check, RefreshCw, X } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { ApiError, NetworkError } from '../../../api/problem';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Button } from '../../../ui/button';
import { ConfirmButton } from '../../../ui/confirm';
import { ErrorPanel, Loading } from '../../../ui/states';
import { useToast } from '../../../ui/toast';
import type { Draft, ReviewDetail } from '../types';
import { DiffViewer } from './diff-viewer';
import { LinkGone } from './link-gone';
import { MessageEditor } from './message-editor';
import { type ReviewSource, requestKey } from './review-source';
import { DecidedReview } from './status-card';
import { SummaryCard } from './summary-card';

/**
 * The review of one generation request, from a review link or from the list: the change in short,
 * the drafts to choose from and edit, the diff, and Approve / Regenerate / Reject; afterwards, where
 * the commit is.
 */
export function ReviewView({ source }: { source: ReviewSource }) {
  const query = useQuery({
    queryKey: source.key,
    queryFn: source.load,
    // A link is used up by a decision; reading it again then answers 410, so never refetch it behind the page's back.
    refetchOnWindowFocus: source.kind === 'session',
    staleTime: source.kind === 'link' ? Number.POSITIVE_INFINITY : 15_000,
  });
  if (query.isPending) return <Loading />;
  if (query.data === undefined) {
    const error = query.error;
    if (source.kind === 'link' && error instanceof ApiError && (error.status === 410 || error.status === 404))
      return <LinkGone error={error} />;
    return <ErrorPanel error={error} onRetry={() => void query.refetch()} />;
  }
  return <Review key={query.data.id} detail={query.data} source={source} />;
}

function problemText(error: unknown, offline: string): string {
  if (error instanceof ApiError) return error.detail;
  return error instanceof NetworkError ? offline : String(error);
}

function newest(drafts: readonly Draft[]): Draft | undefined {
  return drafts.reduce<Draft | undefined>(
    (best, d) => (best && best.ordinal >= d.ordinal ? best : d),
    undefined,
  );
}

function Review({ detail, source }: { detail: ReviewDetail; source: ReviewSource }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [chosenId, setChosenId] = useState(detail.drafts[0]?.id);
  const chosen = detail.drafts.find((d) => d.id === chosenId) ?? detail.drafts[0];
  const [message, setMessage] = useState(chosen?.message ?? '');
  const [local, setLocal] = useState<string>();
  // The decision made on this page through a link: the link is used up, so the push is followed
  // through the link's status (which a used link still answers until it expires).
  const [decidedByLink, setDecidedByLink] = useState(false);

  // A decision answers with the request again; the name read beside it stays.
  const named = (next: ReviewDetail): ReviewDetail => ({
    ...next,
    repositoryName: next.repositoryName ?? detail.repositoryName,
  });
  const settle = (next: ReviewDetail) => queryClient.setQueryData(source.key, named(next));
  const approve = useMutation({
    mutationFn: () =>
      source.approve({
        draft_id: chosen?.id ?? null,
        message: chosen && message === chosen.message ? null : message,
      }),
    onSuccess: (next) => {
      if (source.kind === 'link') {
        setDecidedByLink(true);
        queryClient.setQueryData(requestKey(next.id), named(next));
      }
      settle(next);
    },
    onError: (error) => {
      // Approved meanwhile (another device, the list; the link is then still unused): show where it is now.
      if (error instanceof ApiError && error.status === 409)
        void queryClient.invalidateQueries({ queryKey: source.key });
    },
  });
  const reject = useMutation({
    mutationFn: source.reject,
    onSuccess: (next) => {
      if (source.kind === 'link') setDecidedByLink(true);
      settle(next);
    },
  });
  const regenerate = useMutation({
    mutationFn: () => source.regenerate(2),
    onSuccess: (next) => {
      const fresh = newest(next.drafts);
      settle(next);
      if (fresh) {
        setChosenId(fresh.id);
        setMessage(fresh.message);
      }
      approve.reset();
      toast.ok(t('commits.review.regenerated'));
    },
  });

  const choose = (draft: Draft) => {
    setChosenId(draft.id);
    setMessage(draft.message);
    setLocal(undefined);
    approve.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!message.trim()) return setLocal(t('validation.required'));
    setLocal(undefined);
    approve.mutate();
  };

  const refusal = approve.error instanceof ApiError ? approve.error : undefined;
  const fieldError =
    local ??
    (refusal?.fieldErrors.some((e) => e.field === 'message' || e.field === 'body.message')
      ? refusal.detail
      : undefined);
  const fixedMessage =
    typeof refusal?.problem?.fixed_message === 'string' ? refusal.problem.fixed_message : undefined;
  const otherError = [approve.error, reject.error, regenerate.error].find(
    (e) => e && !(e === approve.error && fieldError),
  );
  const busy = approve.isPending || reject.isPending || regenerate.isPending;

  if (detail.status !== 'ready') {
    const followKey = decidedByLink ? [...source.key, 'status'] : source.key;
    const follow = decidedByLink ? () => source.follow(detail) : source.load;
    return <DecidedReview initial={detail} followKey={followKey} follow={follow} />;
  }

  return (
    <div className="flex flex-col gap-4 pb-20 sm:pb-0">
      <SummaryCard detail={detail} />
      <form id="review-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        <MessageEditor
          drafts={detail.drafts}
          chosen={chosen}
          onChoose={choose}
          message={message}
          onMessage={(m) => {
            setMessage(m);
            setLocal(undefined);
          }}
          error={fieldError}
          fixedMessage={fixedMessage}
          disabled={busy}
        />
        {otherError && <Alert kind="error">{problemText(otherError, t('errors.network'))}</Alert>}
        <fieldset className="fixed inset-x-0 bottom-0 z-20 flex gap-2 border-t border-border bg-surface/95 px-3 py-2.5 backdrop-blur sm:static sm:justify-end sm:rounded-lg sm:border sm:bg-surface sm:p-3">
          <legend className="sr-only">{t('commits.review.actions')}</legend>
          <ConfirmButton
            size="md"
            title={t('commits.review.rejectTitle')}
            message={t('commits.review.rejectConfirm')}
            confirmLabel={t('commits.review.reject')}
            onConfirm={() => reject.mutate()}
            busy={reject.isPending}
            icon={<X aria-hidden className="size-4" />}
          >
            {t('commits.review.reject')}
          </ConfirmButton>
          <Button
            onClick={() => regenerate.mutate()}
            busy={regenerate.isPending}
            disabled={busy}
            icon={<RefreshCw aria-hidden className="size-4" />}
          >
            {t('commits.review.regenerate')}
          </Button>
          <Button
            type="submit"
            variant="primary"
            busy={approve.isPending}
            disabled={busy}
            className="ml-auto flex-1 sm:ml-0 sm:flex-none"
            icon={<Check aria-hidden className="size-4" />}
          >
            {t('commits.review.approve')}
          </Button>
        </fieldset>
      </form>
      <DiffViewer files={detail.filesChanged} />
    </div>
  );
}
