import { type ReactNode, type RefObject, useCallback, useEffect, useId, useRef, useState } from 'react';
import { cx } from './cx';

export interface TriggerProps {
  ref: RefObject<HTMLButtonElement | null>;
  'aria-expanded': boolean;
  'aria-controls': string;
  'aria-haspopup': 'dialog';
  onClick(): void;
}

/**
 * A disclosure panel anchored to its button (notifications, product switcher, account menu):
 * Escape or a click outside closes it and gives focus back to the button.
 */
export function Popover({
  trigger,
  label,
  children,
  align = 'end',
  className,
}: {
  trigger(props: TriggerProps): ReactNode;
  /** The panel's accessible name. */
  label: string;
  children(close: () => void): ReactNode;
  align?: 'start' | 'end';
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const close = useCallback((refocus = true) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    // Escape closes it wherever focus went (a button inside may have become disabled).
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    const first = panelRef.current?.querySelector<HTMLElement>(
      'a[href], button:not([disabled]), input, select, [tabindex]:not([tabindex="-1"])',
    );
    (first ?? panelRef.current)?.focus();
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close]);

  // On phones the panel spans the screen under the header (the nearest positioned ancestor once
  // this wrapper is not); from `sm` up it hangs from its button.
  return (
    <div className="sm:relative">
      {trigger({
        ref: buttonRef,
        'aria-expanded': open,
        'aria-controls': id,
        'aria-haspopup': 'dialog',
        onClick: () => setOpen((o) => !o),
      })}
      {open && (
        <div
          ref={panelRef}
          id={id}
          role="dialog"
          aria-label={label}
          tabIndex={-1}
          className={cx(
            'absolute top-full z-40 mt-2 rounded-lg border border-border bg-surface text-fg shadow-lg',
            'max-sm:inset-x-2',
            align === 'end' ? 'sm:right-0' : 'sm:left-0',
            className,
          )}
        >
          {children(() => close())}
        </div>
      )}
    </div>
  );
}
