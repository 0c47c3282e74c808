import { CheckCircle2, XCircle } from 'lucide-react';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { cx } from './cx';

interface Toast {
  id: number;
  kind: 'ok' | 'error';
  message: string;
}

interface Toaster {
  ok(message: string): void;
  error(message: string): void;
}

const ToastContext = createContext<Toaster | null>(null);

/** Short confirmations ("Saved"), announced by screen readers through a live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const push = useCallback((kind: Toast['kind'], message: string) => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-2), { id, kind, message }]);
    setTimeout(() => setToasts((list) => list.filter((toast) => toast.id !== id)), 4000);
  }, []);
  const value = useMemo<Toaster>(
    () => ({ ok: (m) => push('ok', m), error: (m) => push('error', m) }),
    [push],
  );
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        aria-live="polite"
        className="pointer-events-none fixed bottom-4 left-1/2 z-50 flex w-max max-w-[calc(100%-2rem)] -translate-x-1/2 flex-col items-center gap-2"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={cx(
              'pointer-events-auto flex items-center gap-2 rounded-md border border-border bg-surface px-3 py-2 text-sm shadow-lg',
            )}
          >
            {toast.kind === 'ok' ? (
              <CheckCircle2 aria-hidden className="size-4 text-ok" />
            ) : (
              <XCircle aria-hidden className="size-4 text-danger" />
            )}
            {toast.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): Toaster {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToast outside ToastProvider');
  return value;
}
