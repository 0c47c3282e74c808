import { useMemo } from 'react';
import { useParams } from 'react-router';
import { NoticesBanner } from '../../../app/notices-banner';
import { LanguageSelect, ThemeToggle } from '../../../app/preferences';
import { KeelMark } from '../../../app/shell/keel-mark';
import { useI18n } from '../../../i18n/i18n';
import { linkSource } from './review-source';
import { ReviewView } from './review-view';

/**
 * `/app/commits/review/:token`: the page a review link opens (Slack, KakaoTalk, e-mail, Web Push),
 * usually on a phone and without a session — the signed single-use token is the credential.
 * Kept light: it loads none of the shell.
 */
export default function ReviewLinkPage() {
  const { t } = useI18n();
  const { token = '' } = useParams();
  const source = useMemo(() => linkSource(token), [token]);
  return (
    <div className="flex min-h-screen flex-col">
      <NoticesBanner />
      <header className="flex items-center gap-2 border-b border-border bg-surface px-3 py-2">
        <KeelMark className="size-7 shrink-0" />
        <h1 className="min-w-0 flex-1 truncate text-base font-semibold tracking-tight">
          {t('commits.review.title')}
        </h1>
        <LanguageSelect signedIn={false} compact />
        <ThemeToggle />
      </header>
      <main className="mx-auto w-full max-w-3xl flex-1 px-3 py-4 sm:px-4 sm:py-6">
        <ReviewView source={source} />
      </main>
    </div>
  );
}
