import type { LucideIcon } from 'lucide-react';
import { type ReactNode, Suspense } from 'react';
import { NavLink } from 'react-router';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/i18n';
import { cx } from '../../ui/cx';
import { Loading } from '../../ui/states';

export interface NavItem {
  to: string;
  label: MessageKey;
  icon: LucideIcon;
}

/** A product's frame: its sections in a sidebar (desktop) or a scrolling tab row (phones). */
export function ProductLayout({
  title,
  items,
  children,
}: {
  title: MessageKey;
  items: readonly NavItem[];
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-1 flex-col md:flex-row">
      <nav
        aria-label={t(title)}
        className="sticky top-14 z-20 border-b border-border bg-bg md:static md:w-56 md:shrink-0 md:border-b-0 md:border-r md:bg-transparent md:py-6"
      >
        <p className="hidden px-5 pb-2 text-xs font-semibold uppercase tracking-wide text-muted md:block">
          {t(title)}
        </p>
        <ul className="flex gap-1 overflow-x-auto px-2 py-2 md:flex-col md:overflow-visible md:px-3 md:py-0">
          {items.map((item) => {
            const Icon = item.icon;
            return (
              <li key={item.to} className="shrink-0">
                <NavLink
                  to={item.to}
                  className={({ isActive }) =>
                    cx(
                      'flex items-center gap-2 rounded-md px-3 py-2 text-sm whitespace-nowrap',
                      isActive ? 'bg-accent-soft font-medium text-accent' : 'text-fg hover:bg-surface-2',
                    )
                  }
                >
                  <Icon aria-hidden className="size-4" />
                  {t(item.label)}
                </NavLink>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="min-w-0 flex-1 px-4 py-5 sm:px-6 md:py-6">
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </div>
    </div>
  );
}
