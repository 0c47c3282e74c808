import { Link2Off } from 'lucide-react';
import { Link } from 'react-router';
import type { ApiError } from '../../../api/problem';
import { useI18n } from '../../../i18n/i18n';
import { buttonClass } from '../../../ui/button';

/** A review link that no longer works (410: expired or used; 404: never was): say so and what to do. */
export function LinkGone({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const gone = error.status === 410;
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-2 py-12 text-center">
      <Link2Off aria-hidden className="size-10 text-muted" />
      <h2 className="text-xl font-semibold tracking-tight">
        {gone ? t('commits.link.goneTitle') : t('commits.link.invalidTitle')}
      </h2>
      <p className="text-sm">{t('commits.link.gone')}</p>
      <p className="text-xs text-muted">{error.detail}</p>
      <Link to="/commits/requests" className={buttonClass('primary')}>
        {t('commits.link.toList')}
      </Link>
    </div>
  );
}
