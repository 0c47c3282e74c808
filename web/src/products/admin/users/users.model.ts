import type { UserStatus } from '../../../api/types';
import type { Tone } from '../../../ui/badge';

export const roles = ['user', 'admin', 'org_admin', 'enterprise'] as const;
export const statusTone: Record<UserStatus, Tone> = { active: 'ok', inactive: 'neutral', banned: 'danger' };
