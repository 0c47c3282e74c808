import { useI18n } from '../../../i18n/i18n';
import { Badge, type Tone } from '../../../ui/badge';
import type { RequestStatus } from '../types';

const tones: Record<RequestStatus, Tone> = {
  ready: 'accent',
  approved: 'accent',
  rejected: 'neutral',
  committed: 'accent',
  pushed: 'ok',
  push_failed: 'danger',
};

export function StatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useI18n();
  return <Badge tone={tones[status]}>{t(`commits.status.${status}`)}</Badge>;
}
