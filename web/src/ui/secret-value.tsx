import { Copy } from 'lucide-react';
import { useI18n } from '../i18n/i18n';
import { Button } from './button';
import { useToast } from './toast';

/** A secret shown once: selectable, copyable, never stored by the app. */
export function SecretValue({ value, label }: { value: string; label: string }) {
  const { t } = useI18n();
  const toast = useToast();
  return (
    <div className="flex flex-col gap-1.5">
      <span className="text-sm font-medium">{label}</span>
      <div className="flex gap-2">
        <input
          readOnly
          value={value}
          aria-label={label}
          onFocus={(e) => e.target.select()}
          className="h-10 min-w-0 flex-1 rounded-md border border-border bg-surface-2 px-3 font-mono text-xs"
        />
        <Button
          onClick={() =>
            void navigator.clipboard
              .writeText(value)
              .then(() => toast.ok(t('common.copied')))
              .catch(() => toast.error(t('common.copyFailed')))
          }
          icon={<Copy aria-hidden className="size-4" />}
        >
          {t('common.copy')}
        </Button>
      </div>
    </div>
  );
}
