import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { basePath, safeNext } from '../../app/paths';
import { useStartSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { ErrorPanel, Loading } from '../../ui/states';
import { Tabs } from '../../ui/tabs';
import { PublicLayout } from '../public-layout';
import { PasswordForm } from './password-form';
import { PhoneForm } from './phone-form';

type Method = 'password' | 'phone';

/** Sign in with a username and password, a phone number and SMS code, or Google (when configured). */
export default function SignInPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const startSession = useStartSession();
  const [method, setMethod] = useState<Method>('password');
  const methods = useQuery({
    queryKey: ['auth', 'methods'],
    queryFn: () => unwrap(api.GET('/auth/methods')),
  });
  const setup = useQuery({ queryKey: ['auth', 'setup'], queryFn: () => unwrap(api.GET('/auth/setup')) });

  const signedIn = async () => {
    await startSession();
    await navigate(next, { replace: true });
  };

  return (
    <PublicLayout title={t('signIn.title')} subtitle={t('signIn.subtitle')}>
      {setup.data?.needed && (
        <Alert kind="warn" title={t('signIn.setupNeededTitle')} className="mb-4">
          {t('signIn.setupNeeded')}
        </Alert>
      )}
      {methods.isPending ? (
        <Loading />
      ) : !methods.data ? (
        <ErrorPanel error={methods.error} onRetry={() => void methods.refetch()} />
      ) : (
        <div className="flex flex-col gap-4">
          {methods.data.google && (
            <>
              <a
                href={`/auth/google/start?redirect_to=${encodeURIComponent(basePath + next)}`}
                className="flex h-10 items-center justify-center gap-2 rounded-md border border-border bg-surface text-sm font-medium hover:bg-surface-2"
              >
                <GoogleLogo />
                {t('signIn.google')}
              </a>
              <div className="flex items-center gap-3 text-xs text-muted" aria-hidden>
                <span className="h-px flex-1 bg-border" />
                {t('signIn.or')}
                <span className="h-px flex-1 bg-border" />
              </div>
            </>
          )}
          <Tabs<Method>
            label={t('signIn.methods')}
            items={[
              { key: 'password' as const, label: t('signIn.password') },
              ...(methods.data.phone ? [{ key: 'phone' as const, label: t('signIn.phone') }] : []),
            ]}
            selected={method}
            onSelect={setMethod}
          >
            {method === 'password' ? (
              <PasswordForm onSignedIn={signedIn} />
            ) : (
              <PhoneForm onSignedIn={signedIn} />
            )}
          </Tabs>
        </div>
      )}
    </PublicLayout>
  );
}

function GoogleLogo() {
  return (
    <svg viewBox="0 0 48 48" aria-hidden className="size-4">
      <path
        fill="#FFC107"
        d="M43.6 20.5H42V20H24v8h11.3C33.7 32.7 29.2 36 24 36c-6.6 0-12-5.4-12-12s5.4-12 12-12c3 0 5.8 1.1 7.9 3l5.7-5.7C34 6.1 29.3 4 24 4 12.9 4 4 12.9 4 24s8.9 20 20 20 20-8.9 20-20c0-1.3-.1-2.4-.4-3.5z"
      />
      <path
        fill="#FF3D00"
        d="m6.3 14.7 6.6 4.8C14.7 15.1 19 12 24 12c3 0 5.8 1.1 7.9 3l5.7-5.7C34 6.1 29.3 4 24 4 16.3 4 9.7 8.3 6.3 14.7z"
      />
      <path
        fill="#4CAF50"
        d="M24 44c5.2 0 9.9-2 13.4-5.2l-6.2-5.2C29.2 35.1 26.7 36 24 36c-5.2 0-9.6-3.3-11.3-7.9l-6.5 5C9.5 39.6 16.2 44 24 44z"
      />
      <path
        fill="#1976D2"
        d="M43.6 20.5H42V20H24v8h11.3c-.8 2.2-2.2 4.2-4.1 5.6l6.2 5.2C37 39.2 44 34 44 24c0-1.3-.1-2.4-.4-3.5z"
      />
    </svg>
  );
}
