import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Languages, Moon, Sun } from 'lucide-react';
import { useId } from 'react';
import { api, unwrap } from '../api/client';
import { type Lang, languages, useI18n } from '../i18n/i18n';
import { type ThemeChoice, useTheme } from '../theme/theme';
import { IconButton } from '../ui/button';
import { cx } from '../ui/cx';
import { useToast } from '../ui/toast';
import { meKey } from './session';

export const languageNames: Record<Lang, string> = { en: 'English', ko: '한국어' };

/** Light ↔ dark in one click (the account menu also offers "system"). */
export function ThemeToggle() {
  const { resolved, setChoice } = useTheme();
  const { t } = useI18n();
  const next = resolved === 'dark' ? 'light' : 'dark';
  return (
    <IconButton
      label={next === 'dark' ? t('theme.toDark') : t('theme.toLight')}
      onClick={() => setChoice(next)}
    >
      {resolved === 'dark' ? <Sun aria-hidden className="size-5" /> : <Moon aria-hidden className="size-5" />}
    </IconButton>
  );
}

export function ThemeChoices() {
  const { choice, setChoice } = useTheme();
  const { t } = useI18n();
  const name = useId();
  const choices: Array<{ value: ThemeChoice; label: string }> = [
    { value: 'system', label: t('theme.system') },
    { value: 'light', label: t('theme.light') },
    { value: 'dark', label: t('theme.dark') },
  ];
  return (
    <fieldset>
      <legend className="mb-1.5 text-xs font-medium text-muted">{t('theme.title')}</legend>
      <div className="inline-flex rounded-md border border-border p-0.5">
        {choices.map((c) => (
          <label
            key={c.value}
            className={cx(
              'cursor-pointer rounded px-2.5 py-1 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring',
              choice === c.value ? 'bg-accent text-accent-fg' : 'text-fg hover:bg-surface-2',
            )}
          >
            <input
              type="radio"
              name={name}
              value={c.value}
              checked={choice === c.value}
              onChange={() => setChoice(c.value)}
              className="sr-only"
            />
            {c.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * The UI language. Signed in, the choice is the account's `language` setting (saved to the
 * server, so it follows the user to other browsers and chooses their notification language).
 */
export function LanguageSelect({ signedIn, compact = false }: { signedIn: boolean; compact?: boolean }) {
  const { lang, setLang, t } = useI18n();
  const save = useSaveLanguage();
  const id = useId();
  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor={id} className={compact ? 'sr-only' : 'text-xs font-medium text-muted'}>
        {t('language.label')}
      </label>
      {compact && <Languages aria-hidden className="size-4 text-muted" />}
      <select
        id={id}
        value={lang}
        onChange={(event) => {
          const next = event.target.value as Lang;
          if (signedIn) save(next);
          else setLang(next);
        }}
        className="h-9 rounded-md border border-border bg-surface px-2 text-sm text-fg"
      >
        {languages.map((l) => (
          <option key={l} value={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function useSaveLanguage(): (lang: Lang) => void {
  const { setLang, t } = useI18n();
  const queryClient = useQueryClient();
  const toast = useToast();
  const mutation = useMutation({
    mutationFn: (language: Lang) => unwrap(api.PATCH('/me/settings', { body: { language } })),
    onSuccess: (me) => queryClient.setQueryData(meKey, me),
    onError: (error) => toast.error(error.message || t('errors.unexpected')),
  });
  return (lang) => {
    setLang(lang);
    mutation.mutate(lang);
  };
}

/** Saves the account's language and waits for it (no optimistic switch): for flows that navigate next. */
export function useSaveLanguageNow(): (lang: Lang) => Promise<void> {
  const queryClient = useQueryClient();
  return async (language) => {
    const me = await unwrap(api.PATCH('/me/settings', { body: { language } }));
    queryClient.setQueryData(meKey, me);
  };
}
