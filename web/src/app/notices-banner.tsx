import { useQuery } from '@tanstack/react-query';
import { Megaphone, Wrench, X } from 'lucide-react';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import type { ActiveNotice } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { cx } from '../ui/cx';

const toneOf = (notice: ActiveNotice) =>
  notice.priority === 'critical' || notice.priority === 'high'
    ? 'border-danger/30 bg-danger-soft'
    : notice.notice_type === 'maintenance'
      ? 'border-warn/30 bg-warn-soft'
      : 'border-accent/30 bg-accent-soft';

/** System notices shown now (GET /notify/notices/active, public): on the sign-in page and in the shell. */
export function NoticesBanner() {
  const { t } = useI18n();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const notices = useQuery({
    queryKey: ['notices', 'active'],
    queryFn: () => unwrap(api.GET('/notify/notices/active')),
    refetchInterval: 60_000,
    // A banner is extra: when it cannot load, the page still works and says nothing.
    retry: false,
  });
  const shown = (notices.data?.items ?? []).filter((n) => !dismissed.has(n.id)).slice(0, 3);
  if (shown.length === 0) return null;
  return (
    <section aria-label={t('notices.region')} className="flex flex-col">
      {shown.map((notice) => {
        const Icon = notice.notice_type === 'maintenance' ? Wrench : Megaphone;
        return (
          <div
            key={notice.id}
            className={cx('flex items-start gap-3 border-b px-4 py-2 text-sm text-fg', toneOf(notice))}
          >
            <Icon aria-hidden className="mt-0.5 size-4 shrink-0" />
            <p className="min-w-0 flex-1">
              <strong className="font-semibold">{notice.title}</strong>
              <span className="mx-1.5 text-muted" aria-hidden>
                ·
              </span>
              <span className="text-muted">{notice.content}</span>
            </p>
            <button
              type="button"
              onClick={() => setDismissed((s) => new Set([...s, notice.id]))}
              aria-label={t('notices.dismiss', { title: notice.title })}
              className="rounded p-0.5 text-muted hover:text-fg"
            >
              <X aria-hidden className="size-4" />
            </button>
          </div>
        );
      })}
    </section>
  );
}
