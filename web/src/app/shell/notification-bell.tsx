import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bell, CheckCheck } from 'lucide-react';
import { api, unwrap } from '../../api/client';
import type { InboxItem } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { cx } from '../../ui/cx';
import { Popover } from '../../ui/popover';
import { ErrorPanel, Loading } from '../../ui/states';

const inboxKey = ['notify', 'inbox'] as const;

/** The in-app inbox: unread count on the bell, the newest items, mark one or all read. */
export function NotificationBell() {
  const { t, relative } = useI18n();
  const queryClient = useQueryClient();
  const inbox = useQuery({
    queryKey: inboxKey,
    queryFn: () => unwrap(api.GET('/notify/inbox', { params: { query: { limit: 10 } } })),
    refetchInterval: 30_000,
  });
  const markRead = useMutation({
    mutationFn: (ids?: string[]) => unwrap(api.POST('/notify/inbox/read', { body: ids ? { ids } : {} })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKey }),
  });
  const unread = inbox.data?.unread_count ?? 0;
  const label = unread > 0 ? t('inbox.labelUnread', { count: unread }) : t('inbox.label');

  const open = (item: InboxItem) => {
    if (!item.read_at) markRead.mutate([item.id]);
  };

  return (
    <Popover
      label={t('inbox.title')}
      className="sm:w-[22rem]"
      trigger={(props) => (
        <button
          type="button"
          {...props}
          aria-label={label}
          title={label}
          className="relative inline-flex size-10 items-center justify-center rounded-md hover:bg-surface-2"
        >
          <Bell aria-hidden className="size-5" />
          {unread > 0 && (
            <span
              aria-hidden
              className="absolute right-1 top-1 min-w-4 rounded-full bg-danger px-1 text-center text-[10px] font-semibold leading-4 text-white dark:text-bg"
            >
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </button>
      )}
    >
      {() => (
        <div className="flex max-h-[70vh] flex-col">
          <div className="flex items-center justify-between gap-2 border-b border-border px-3 py-2">
            <h2 className="text-sm font-semibold">{t('inbox.title')}</h2>
            <Button
              size="sm"
              variant="ghost"
              disabled={unread === 0}
              busy={markRead.isPending && markRead.variables === undefined}
              onClick={() => markRead.mutate(undefined)}
              icon={<CheckCheck aria-hidden className="size-4" />}
            >
              {t('inbox.markAll')}
            </Button>
          </div>
          <div className="overflow-y-auto">
            {inbox.isPending ? (
              <Loading />
            ) : !inbox.data ? (
              <div className="p-3">
                <ErrorPanel error={inbox.error} onRetry={() => void inbox.refetch()} />
              </div>
            ) : inbox.data.items.length === 0 ? (
              <p className="px-3 py-8 text-center text-sm text-muted">{t('inbox.empty')}</p>
            ) : (
              <ul>
                {inbox.data.items.map((item) => (
                  <li key={item.id} className="border-b border-border last:border-0">
                    <InboxEntry item={item} onOpen={() => open(item)} when={relative(item.created_at)} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </Popover>
  );
}

function InboxEntry({ item, onOpen, when }: { item: InboxItem; onOpen(): void; when: string }) {
  const { t } = useI18n();
  const body = (
    <>
      <span className="flex items-center gap-2">
        {!item.read_at && <span className="size-2 shrink-0 rounded-full bg-accent" aria-hidden />}
        <span className={cx('text-sm', !item.read_at && 'font-semibold')}>{item.title}</span>
      </span>
      <span className="line-clamp-2 text-xs text-muted">{item.body}</span>
      <span className="text-[11px] text-muted">
        {when}
        {!item.read_at && <span className="sr-only">, {t('inbox.unread')}</span>}
      </span>
    </>
  );
  const className = 'flex w-full flex-col gap-0.5 px-3 py-2.5 text-left hover:bg-surface-2';
  return item.url ? (
    <a href={item.url} onClick={onOpen} className={className}>
      {body}
    </a>
  ) : (
    <button type="button" onClick={onOpen} className={className}>
      {body}
    </button>
  );
}
