import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, formErrors } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/field';

/** Phone numbers as Keel accepts them: +country… or a Korean mobile number (docs/identity.md). */
const phonePattern = /^\+?[\d\s().-]{7,31}$/;

function useCountdown(seconds: number | undefined): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (!seconds) return;
    const until = Date.now() + seconds * 1000;
    setLeft(seconds);
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  return left;
}

/** Two steps: the number (a code is sent by SMS), then the 6-digit code. */
export function PhoneForm({ onSignedIn }: { onSignedIn(): Promise<void> }) {
  const { t } = useI18n();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [local, setLocal] = useState<Record<string, string>>({});

  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/auth/phone/start', { body: { phone: phone.trim() } })),
    onSuccess: () => {
      setStep('code');
      setCode('');
    },
  });
  const verify = useMutation({
    mutationFn: () => unwrap(api.POST('/auth/phone/verify', { body: { phone: phone.trim(), code } })),
    onSuccess: () => onSignedIn(),
  });
  const resendIn = useCountdown(start.data?.resend_after_s);
  const retryIn = useCountdown(
    start.error instanceof ApiError && typeof start.error.problem?.retry_after_s === 'number'
      ? start.error.problem.retry_after_s
      : undefined,
  );

  const sendCode = (event?: FormEvent) => {
    event?.preventDefault();
    if (!phonePattern.test(phone.trim())) {
      setLocal({ 'body.phone': t('signIn.phoneInvalid') });
      return;
    }
    setLocal({});
    start.mutate();
  };

  const checkCode = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) {
      setLocal({ 'body.code': t('signIn.codeInvalid') });
      return;
    }
    setLocal({});
    verify.mutate();
  };

  if (step === 'phone') {
    const server = formErrors(start.error, ['body.phone']);
    return (
      <form onSubmit={sendCode} noValidate className="flex flex-col gap-4">
        {server.general && (
          <Alert kind="error">
            {server.general}
            {retryIn > 0 && ` (${t('signIn.retryIn', { seconds: retryIn })})`}
          </Alert>
        )}
        <TextField
          label={t('signIn.phoneLabel')}
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          placeholder="010-1234-5678"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          hint={t('signIn.phoneHint')}
          error={local['body.phone'] ?? server.byField['body.phone']}
        />
        <Button type="submit" variant="primary" busy={start.isPending} className="w-full">
          {t('signIn.sendCode')}
        </Button>
      </form>
    );
  }

  const server = formErrors(verify.error, ['body.code', 'body.phone']);
  const attemptsLeft = verify.error instanceof ApiError ? verify.error.problem?.attempts_left : undefined;
  return (
    <form onSubmit={checkCode} noValidate className="flex flex-col gap-4">
      <Alert kind="info">{t('signIn.codeSent', { phone: phone.trim() })}</Alert>
      {server.general && (
        <Alert kind="error">
          {server.general}
          {typeof attemptsLeft === 'number' && ` ${t('signIn.attemptsLeft', { count: attemptsLeft })}`}
        </Alert>
      )}
      <TextField
        label={t('signIn.codeLabel')}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        error={local['body.code'] ?? server.byField['body.code']}
        autoFocus
      />
      <Button type="submit" variant="primary" busy={verify.isPending} className="w-full">
        {t('signIn.verify')}
      </Button>
      <div className="flex items-center justify-between gap-2 text-sm">
        <Button size="sm" variant="ghost" onClick={() => setStep('phone')}>
          {t('signIn.changeNumber')}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={resendIn > 0}
          busy={start.isPending}
          onClick={() => sendCode()}
        >
          {resendIn > 0 ? t('signIn.resendIn', { seconds: resendIn }) : t('signIn.resend')}
        </Button>
      </div>
    </form>
  );
}
