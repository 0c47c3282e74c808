import { Suspense } from 'react';
import { Link, Outlet } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { Loading } from '../../ui/states';
import { NoticesBanner } from '../notices-banner';
import { LanguageSelect, ThemeToggle } from '../preferences';
import { AccountMenu } from './account-menu';
import { KeelMark } from './keel-mark';
import { NotificationBell } from './notification-bell';
import { ProductSwitcher } from './product-switcher';

/** The frame around every signed-in page: notices, header (products, inbox, theme, language, account). */
export default function AppShell() {
  const { t } = useI18n();
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2"
      >
        {t('shell.skip')}
      </a>
      <NoticesBanner />
      <header className="sticky top-0 z-30 border-b border-border bg-surface/95 backdrop-blur">
        <div className="flex h-14 items-center gap-1 px-2 sm:gap-2 sm:px-4">
          <Link
            to="/"
            className="flex items-center gap-2 rounded-md px-1.5 py-1"
            aria-label={t('shell.home')}
          >
            <KeelMark />
            <span className="hidden text-base font-semibold tracking-tight sm:inline">Keel</span>
          </Link>
          <span aria-hidden className="mx-1 hidden h-6 w-px bg-border sm:block" />
          <ProductSwitcher />
          <div className="ml-auto flex items-center gap-0.5 sm:gap-1">
            <div className="hidden md:block">
              <LanguageSelect signedIn compact />
            </div>
            <div className="hidden sm:block">
              <ThemeToggle />
            </div>
            <NotificationBell />
            <AccountMenu />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="flex flex-1 flex-col outline-none">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
