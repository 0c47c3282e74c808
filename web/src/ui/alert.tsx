import { AlertTriangle, CheckCircle2, Info, XCircle } from 'lucide-react';
import type { ReactNode } from 'react';
import { cx } from './cx';

type Kind = 'info' | 'ok' | 'warn' | 'error';

const styles: Record<Kind, string> = {
  info: 'border-accent/30 bg-accent-soft text-fg',
  ok: 'border-ok/30 bg-ok-soft text-fg',
  warn: 'border-warn/30 bg-warn-soft text-fg',
  error: 'border-danger/30 bg-danger-soft text-fg',
};
const icons = { info: Info, ok: CheckCircle2, warn: AlertTriangle, error: XCircle };
const iconColors: Record<Kind, string> = {
  info: 'text-accent',
  ok: 'text-ok',
  warn: 'text-warn',
  error: 'text-danger',
};

/** A message box; errors are announced at once (role="alert"), the others politely. */
export function Alert({
  kind = 'info',
  title,
  children,
  action,
  className,
}: {
  kind?: Kind;
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  const Icon = icons[kind];
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      className={cx('flex items-start gap-3 rounded-md border px-3 py-2.5 text-sm', styles[kind], className)}
    >
      <Icon aria-hidden className={cx('mt-0.5 size-4 shrink-0', iconColors[kind])} />
      <div className="min-w-0 flex-1">
        {title && <p className="font-medium">{title}</p>}
        {children && (
          <div className={cx(title ? 'mt-0.5 text-muted' : undefined, 'break-words')}>{children}</div>
        )}
      </div>
      {action}
    </div>
  );
}
