import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { buttonClass } from '../ui/button';

export default function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-16 text-center">
      <p className="text-5xl font-semibold text-muted">404</p>
      <h1 className="text-lg font-semibold">{t('errors.notFoundTitle')}</h1>
      <p className="text-sm text-muted">{t('errors.notFound')}</p>
      <Link to="/" className={buttonClass('primary')}>
        {t('common.home')}
      </Link>
    </div>
  );
}
