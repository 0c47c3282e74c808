import { ArrowLeft } from 'lucide-react';
import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { useI18n } from '../../../i18n/i18n';
import { PageHeader } from '../../../ui/card';
import { sessionSource } from './review-source';
import { ReviewView } from './review-view';

/** `/app/commits/requests/:id`: the same review for a signed-in user, inside the Commits product. */
export default function RequestReviewPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const source = useMemo(() => sessionSource(id), [id]);
  return (
    <div className="mx-auto w-full max-w-3xl">
      <Link
        to="/commits/requests"
        className="mb-2 inline-flex items-center gap-1 text-sm text-muted hover:text-fg"
      >
        <ArrowLeft aria-hidden className="size-4" />
        {t('commits.review.back')}
      </Link>
      <PageHeader title={t('commits.review.title')} />
      <ReviewView source={source} />
    </div>
  );
}
