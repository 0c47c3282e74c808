import { type ReactNode, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Button, type ButtonVariant } from './button';
import { Dialog } from './dialog';

/** A button that asks first ("Revoke this key?") and then runs `onConfirm`. */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  busy = false,
  variant = 'secondary',
  size = 'sm',
  icon,
  label,
}: {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  busy?: boolean;
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  icon?: ReactNode;
  /** An accessible name when the visible label is not enough ("Revoke key ci-deploy"). */
  label?: string;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant={variant}
        size={size}
        busy={busy}
        icon={icon}
        aria-label={label}
        onClick={() => setOpen(true)}
      >
        {children}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>{t('common.cancel')}</Button>
            <Button
              variant="danger"
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
            >
              {confirmLabel}
            </Button>
          </>
        }
      >
        <div className="text-sm text-muted">{message}</div>
      </Dialog>
    </>
  );
}
