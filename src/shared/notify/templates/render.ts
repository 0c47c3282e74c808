import Mustache from 'mustache';
import { KeelError } from '../../../kernel/errors/index.js';
import type { RenderedMessage } from '../channels/channel.types.js';

export const locales = ['ko', 'en'] as const;
export type Locale = (typeof locales)[number];

/** A template's text parts, as stored (one name, locale and version). */
export interface TemplateSource {
  name: string;
  locale: Locale;
  /** 0 for the text shipped with Keel; stored versions start at 1. */
  version: number;
  subject: string;
  text: string;
  html: string | null;
  kakaoTemplateCode: string | null;
}

const plain = { escape: (value: unknown) => String(value) };

/**
 * Renders with Mustache, which is logic-less: a template can only read values and loop over
 * lists, so neither a template nor the data sent with it can run code, and values are never
 * rendered again as templates. `{{x}}` is HTML-escaped in the HTML part only.
 */
export function renderTemplate(
  source: TemplateSource,
  data: Record<string, unknown>,
  url?: string,
): RenderedMessage {
  const view = { ...data, url };
  const subject = oneLine(Mustache.render(source.subject, view, undefined, plain));
  const text = source.text
    ? Mustache.render(source.text, view, undefined, plain)
    : textOf(Mustache.render(source.html ?? '', view));
  const html = source.html ? Mustache.render(source.html, view) : undefined;
  return {
    subject,
    text,
    ...(html ? { html } : {}),
    ...(url ? { url } : {}),
    data,
    template: { name: source.name, version: source.version, locale: source.locale },
    ...(source.kakaoTemplateCode
      ? { kakao: { templateCode: source.kakaoTemplateCode, parameters: kakaoParameters(data) } }
      : {}),
  };
}

/** Throws validation_failed naming the part when a template does not parse (unclosed section). */
export function checkTemplate(parts: { subject: string; text: string; html?: string | null }): void {
  for (const [field, value] of Object.entries(parts)) {
    if (!value) continue;
    try {
      Mustache.parse(value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new KeelError('validation_failed', `${field}: the template does not parse: ${reason}`, {
        details: { errors: [{ field, message: `the template does not parse: ${reason}` }] },
      });
    }
  }
}

/** The plain-text fallback of an HTML part: tags dropped, block ends as line breaks. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** AlimTalk parameters are flat strings: top-level scalar values of the data. */
function kakaoParameters(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = String(value);
    }
  }
  return out;
}
