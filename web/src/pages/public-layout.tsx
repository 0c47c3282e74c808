import type { ReactNode } from 'react';
import { NoticesBanner } from '../app/notices-banner';
import { LanguageSelect, ThemeToggle } from '../app/preferences';
import { KeelMark } from '../app/shell/keel-mark';

/** The frame of pages without a session (sign-in, setup): notices, language and theme, a centred card. */
export function PublicLayout({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: string;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen flex-col">
      <NoticesBanner />
      <div className="flex items-center justify-end gap-1 px-3 py-2">
        <LanguageSelect signedIn={false} compact />
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pb-12 pt-4 sm:items-center sm:pt-0">
        <div className="w-full max-w-sm">
          <div className="mb-6 flex flex-col items-center gap-3 text-center">
            <KeelMark className="size-11" />
            <div>
              <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
              {subtitle && <p className="mt-1 text-sm text-muted">{subtitle}</p>}
            </div>
          </div>
          <div className="rounded-xl border border-border bg-surface p-5 shadow-sm sm:p-6">{children}</div>
        </div>
      </main>
    </div>
  );
}
