import { useI18n } from '../../../i18n/i18n';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { cx } from '../../../ui/cx';
import { TextAreaField } from '../../../ui/field';
import type { Draft, Violation } from '../types';

/** The drafts as a choice, the chosen message to edit, and what the rules said about it. */
export function MessageEditor({
  drafts,
  chosen,
  onChoose,
  message,
  onMessage,
  error,
  fixedMessage,
  disabled,
}: {
  drafts: readonly Draft[];
  chosen: Draft | undefined;
  onChoose(draft: Draft): void;
  message: string;
  onMessage(message: string): void;
  /** Why the server (or the form) refused the message: shown under the field. */
  error: string | undefined;
  /** The server's autofixed message, offered when it refused this one. */
  fixedMessage: string | undefined;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const edited = chosen !== undefined && message !== chosen.message;
  const lines = message.split('\n').length;
  return (
    <section
      aria-labelledby="message-heading"
      className="flex flex-col gap-3 rounded-lg border border-border bg-surface p-4"
    >
      <h2 id="message-heading" className="text-base font-semibold">
        {t('commits.review.messageTitle')}
      </h2>
      {drafts.length > 0 && (
        <fieldset className="flex min-w-0 flex-col gap-1.5">
          <legend className="mb-1 text-sm font-medium">{t('commits.review.drafts')}</legend>
          {drafts.map((draft) => (
            <label
              key={draft.id}
              className={cx(
                'flex min-w-0 cursor-pointer items-start gap-2 rounded-md border px-3 py-2',
                draft.id === chosen?.id ? 'border-accent bg-accent-soft' : 'border-border hover:bg-surface-2',
              )}
            >
              <input
                type="radio"
                name="draft"
                value={draft.id}
                checked={draft.id === chosen?.id}
                onChange={() => onChoose(draft)}
                disabled={disabled}
                className="mt-1 size-4 shrink-0 accent-[var(--k-accent)]"
              />
              <span className="flex min-w-0 flex-col">
                <span className="break-words font-mono text-sm">{draft.message.split('\n')[0]}</span>
                <span className="text-xs text-muted">
                  {draft.origin === 'offline'
                    ? t('commits.review.offline')
                    : `${draft.provider} · ${draft.model}`}
                  {draft.violations.some((v) => v.level === 'block' && !v.fixed) && (
                    <> · {t('commits.review.breaksRules')}</>
                  )}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <TextAreaField
        label={t('commits.review.message')}
        name="message"
        value={message}
        rows={Math.min(Math.max(lines + 1, 3), 12)}
        spellCheck={false}
        autoCapitalize="off"
        onChange={(e) => onMessage(e.target.value)}
        disabled={disabled}
        error={error}
        hint={edited ? t('commits.review.edited') : undefined}
        className="[&_textarea]:font-mono"
      />
      {fixedMessage && fixedMessage !== message && (
        <div>
          <Button size="sm" onClick={() => onMessage(fixedMessage)}>
            {t('commits.review.applyFix')}
          </Button>
        </div>
      )}
      {chosen && !edited && <Violations violations={chosen.violations} notes={chosen.notes} />}
    </section>
  );
}

function Violations({ violations, notes }: { violations: readonly Violation[]; notes: readonly string[] }) {
  const { t } = useI18n();
  const open = violations.filter((v) => !v.fixed);
  const fixed = violations.filter((v) => v.fixed);
  return (
    <div className="flex flex-col gap-1.5">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">
        {t('commits.review.checks')}
      </h3>
      {violations.length === 0 ? (
        <p className="text-sm text-ok">{t('commits.review.noViolations')}</p>
      ) : (
        <ul className="flex flex-col gap-1">
          {[...open, ...fixed].map((v) => (
            <li
              key={`${v.rule}-${v.fixed}`}
              className={cx(
                'flex min-w-0 items-start gap-2 rounded-md border px-2.5 py-1.5 text-sm',
                v.fixed
                  ? 'border-border text-muted'
                  : v.level === 'block'
                    ? 'border-danger/40 bg-danger-soft text-danger'
                    : 'border-warn/40 bg-warn-soft text-warn',
              )}
            >
              <Badge tone={v.fixed ? 'ok' : v.level === 'block' ? 'danger' : 'warn'}>
                {v.fixed
                  ? t('commits.review.fixed')
                  : v.level === 'block'
                    ? t('commits.review.block')
                    : t('commits.review.warn')}
              </Badge>
              <span className="min-w-0 break-words">
                <span className="font-mono text-xs">{v.rule}</span> {v.message}
              </span>
            </li>
          ))}
        </ul>
      )}
      {notes.length > 0 && (
        <ul className="list-inside list-disc text-xs text-muted">
          {notes.map((note) => (
            <li key={note} className="break-words">
              {note}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
