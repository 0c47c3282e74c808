import type { JSONObject } from '@ai-sdk/provider';
import { asSchema, mainType, type SchemaNode } from './schema.js';
import { bm25, queryTerms, splitIdentifier, terms } from './text-match.js';
import { type TimeRange, timeRangeOf } from './time-range.js';

/**
 * Rule-based routing: the offered route (or tool) whose name, description and keywords share
 * the most weight with the question (BM25, English and Korean through the synonym table), with
 * a confidence, and arguments for a tool call read from the question by simple rules.
 *
 * Routes come from the call's function tools, from `providerOptions['keel-offline'].routes`,
 * or from a list in the system prompt under a `Routes:` (Tools:, Intents:, Categories:, 라우트:,
 * 경로:, 도구:) line, one per line: `- name: description`, `- name — description`, `1. name -
 * description`, or `Routes: a, b, c` (names only).
 */

export interface RouteOption {
  name: string;
  description: string;
  keywords?: readonly string[];
  /** A tool's input schema (arguments are read for its properties). */
  inputSchema?: unknown;
}

export interface RouteDecision {
  /** The chosen route, or null when nothing matched and no fallback route was offered. */
  route: string | null;
  /** 0–1: the route's share of all routes' scores, times the square root of its coverage. */
  confidence: number;
  reason: string;
  /** Question terms found in the route's text. */
  matched: string[];
  scores: Array<{ route: string; score: number }>;
}

const header =
  /^\s*(?:#+\s*)?(?:available\s+)?(routes?|tools?|intents?|categories|라우트|경로|도구|의도|분류)\s*[:：]\s*(.*)$/i;
const item = /^\s*(?:[-*•]|\d+[.)])?\s*`?([\p{L}\p{N}_.-]+)`?\s*(?:[:：]|\s[-–—]\s|\s*\()\s*(.*?)\)?\s*$/u;
const bareItem = /^\s*(?:[-*•]|\d+[.)])\s*`?([\p{L}\p{N}_.-]+)`?\s*$/u;

/** Routes listed in a system prompt (formats above); [] when there is no such list. */
export function readRoutes(system: string): RouteOption[] {
  const lines = system.split('\n');
  const routes: RouteOption[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = header.exec(lines[i] ?? '');
    if (!head) continue;
    const inline = (head[2] ?? '').trim();
    if (inline && !item.test(inline)) {
      for (const name of inline.split(/[,、|]/).map((n) => n.trim().replace(/^`|`$/g, '')))
        if (/^[\p{L}\p{N}_.-]+$/u.test(name)) routes.push({ name, description: '' });
      continue;
    }
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim() === '') {
        if (routes.length > 0) break;
        continue;
      }
      const m = item.exec(line) ?? bareItem.exec(line);
      if (!m?.[1]) break;
      routes.push({ name: m[1], description: (m[2] ?? '').trim() });
      i = j;
    }
  }
  return routes;
}

function routeText(route: RouteOption): string {
  const schemaWords: string[] = [];
  const properties = asSchema(route.inputSchema).properties ?? {};
  for (const [name, definition] of Object.entries(properties)) {
    schemaWords.push(splitIdentifier(name));
    if (definition.description) schemaWords.push(definition.description);
  }
  return [splitIdentifier(route.name), route.description, ...(route.keywords ?? []), ...schemaWords].join(
    ' ',
  );
}

/** Names a route takes when it is meant for questions nothing else fits. */
const fallbackNames = /^(fallback|default|other|others|unknown|general|reject|none|misc|기타)$/i;

export function chooseRoute(question: string, routes: readonly RouteOption[]): RouteDecision {
  if (routes.length === 0)
    return { route: null, confidence: 0, reason: 'no routes were offered', matched: [], scores: [] };
  const query = queryTerms(question);
  const matches = bm25(
    routes.map((r) => terms(routeText(r))),
    query,
  );
  const lowered = question.toLowerCase();
  const scored = routes.map((route, i) => {
    const match = matches[i] ?? { score: 0, matched: [], coverage: 0, share: 0 };
    // A question that names the route outright ("use search_logs") settles it.
    const named = route.name.length > 2 && lowered.includes(route.name.toLowerCase());
    return { route, ...match, score: match.score + (named ? 5 : 0) };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const scores = ranked.map((r) => ({ route: r.route.name, score: Math.round(r.score * 1000) / 1000 }));
  const best = ranked[0];
  if (!best || best.score === 0) {
    const fallback = routes.find((r) => fallbackNames.test(r.name));
    return {
      route: fallback?.name ?? null,
      confidence: 0,
      reason: fallback
        ? `no word of the question matches a route; fell back to ${fallback.name}`
        : 'no word of the question matches any route',
      matched: [],
      scores,
    };
  }
  const total = ranked.reduce((sum, r) => sum + r.score, 0);
  const confidence =
    Math.round((best.score / total) * Math.sqrt(Math.max(best.coverage, best.share)) * 100) / 100;
  const runnerUp = ranked[1];
  return {
    route: best.route.name,
    confidence,
    reason:
      `matched ${best.matched.map((t) => `"${t}"`).join(', ')}` +
      (runnerUp && runnerUp.score > 0 ? `; next best ${runnerUp.route.name}` : ''),
    matched: best.matched,
    scores,
  };
}

// --- arguments ---------------------------------------------------------------------------------

export interface ExtractedArguments {
  input: JSONObject;
  /** Required properties the rules could not fill. */
  missing: string[];
  /** How each property was filled (for the metadata). */
  filledBy: Record<string, string>;
}

const quoted = /"([^"]+)"|'([^']+)'|“([^”]+)”|‘([^’]+)’|「([^」]+)」|`([^`]+)`/g;
const identifierLike = /\b[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+\b/gi;
const textNames =
  /^(query|q|question|text|search|keyword|keywords|term|terms|prompt|message|pattern|filter|input)$/i;
const entityNames =
  /(service|host|hostname|server|node|name|target|app|application|instance|pod|container|index|db|database|table|cluster|region|env|environment|id)$/i;
const metricNames = /(metric|measure|signal|kind|type)$/i;
const timeNames =
  /(since|window|range|duration|period|lookback|last|interval|timespan|time|from|start|until|to|end|hours?|minutes?|mins?|seconds?|secs?|days?|ago)$/i;
const countNames = /(limit|top|count|max|size|n|k|number|amount|threshold|min|above|over|below|under)$/i;

/** Metric names a question may use, by canonical name (English and Korean forms). */
const metricWords: Record<string, RegExp> = {
  cpu: /\bcpu\b|씨피유/i,
  memory: /\bmemory\b|\bram\b|메모리/i,
  disk: /\bdisk\b|디스크/i,
  latency: /\blatency\b|response time|지연|응답\s*시간/i,
  error_rate: /error rate|에러율|오류율/i,
  errors: /\berrors?\b|에러|오류/i,
  throughput: /\bthroughput\b|\brps\b|처리량/i,
  requests: /\brequests?\b|요청/i,
};

function timeValue(
  range: TimeRange,
  name: string,
  schema: SchemaNode,
  now: Date,
): string | number | undefined {
  const lower = `${splitIdentifier(name)} ${schema.description ?? ''}`.toLowerCase();
  const type = mainType(schema);
  if (type === 'number' || type === 'integer') {
    const unit = /\bms\b|millisecond/.test(lower)
      ? 1
      : /second|\bsecs?\b/.test(lower)
        ? 1_000
        : /minute|\bmins?\b/.test(lower)
          ? 60_000
          : /hour/.test(lower)
            ? 3_600_000
            : /\bdays?\b/.test(lower)
              ? 86_400_000
              : null;
    if (unit === null) return undefined;
    const value = range.ms / unit;
    return type === 'integer' ? Math.round(value) : value;
  }
  if (type !== 'string' && type !== undefined) return undefined;
  const isEnd = /\b(to|end|until|before)\b/.test(lower);
  const isStart = /\b(from|start|since|after|begin)\b/.test(lower);
  // "since: how far back, e.g. 24h" wants a duration; "from" or a date-time format a timestamp.
  const wantsDuration = /duration|window|lookback|how far|range|period|\b\d+\s*[smhdw]\b/.test(lower);
  if (schema.format === 'date-time' || ((isStart || isEnd) && !wantsDuration)) {
    const end = range.end ?? now;
    return isEnd ? end.toISOString() : new Date(end.getTime() - range.ms).toISOString();
  }
  return range.compact;
}

/**
 * Arguments for a tool's input schema, read from the question: time ranges ("last 24 hours",
 * "지난 1시간") for time-like properties, quoted strings and the question for text properties,
 * identifier-like words (api-gateway, db-01) for entity properties, metric words for metric
 * properties, enum values the question mentions, and numbers in order for numeric properties.
 * Nothing is made up: a property without a match is left out (and listed when required).
 */
export function extractArguments(question: string, inputSchema: unknown, now: Date): ExtractedArguments {
  const input: JSONObject = {};
  const filledBy: Record<string, string> = {};
  const schema = asSchema(inputSchema);
  const properties = Object.entries(schema.properties ?? {});
  const range = timeRangeOf(question, now);
  let remaining = range ? question.replace(range.phrase, ' ') : question;
  const quotes = [...question.matchAll(quoted)].map((m) => m.slice(1).find((g) => g !== undefined) ?? '');
  for (const q of quotes) remaining = remaining.replace(q, ' ');
  const identifiers = [...remaining.matchAll(identifierLike)].map((m) => m[0]);
  const numbers = [...remaining.matchAll(/(?<![\p{L}\d.-])(\d+(?:\.\d+)?)(?![\d.]*[\p{L}])/gu)].map((m) =>
    Number(m[1]),
  );
  const set = (name: string, value: JSONObject[string], how: string) => {
    input[name] = value;
    filledBy[name] = how;
  };
  for (const [name, definition] of properties) {
    const type = mainType(definition);
    if (definition.enum && definition.enum.length > 0) {
      const words = new Set(terms(question));
      const lowered = question.toLowerCase();
      const hit = definition.enum.find(
        (value) =>
          typeof value === 'string' &&
          (lowered.includes(value.toLowerCase()) || terms(splitIdentifier(value)).some((t) => words.has(t))),
      );
      if (hit !== undefined) set(name, hit as JSONObject[string], 'enum value named in the question');
      continue;
    }
    if (
      timeNames.test(splitIdentifier(name).replace(/\s+/g, '')) ||
      /time range|duration|기간/i.test(definition.description ?? '')
    ) {
      if (range) {
        const value = timeValue(range, name, definition, now);
        if (value !== undefined) set(name, value, `time range "${range.phrase.trim()}"`);
      }
      continue;
    }
    if (type === 'string') {
      if (textNames.test(name)) {
        const text = quotes.shift() ?? question.trim();
        set(name, text, quotes.length === 0 ? 'the question' : 'a quoted string');
        continue;
      }
      if (metricNames.test(name)) {
        const metric = Object.entries(metricWords).find(([, pattern]) => pattern.test(question))?.[0];
        if (metric) set(name, metric, 'a metric word');
        continue;
      }
      if (entityNames.test(name)) {
        const value = quotes.shift() ?? identifiers.shift();
        if (value) set(name, value, 'an identifier in the question');
        continue;
      }
      continue;
    }
    if ((type === 'number' || type === 'integer') && countNames.test(name)) {
      const value = numbers.shift();
      if (value !== undefined && (type === 'number' || Number.isInteger(value)))
        set(name, value, 'a number in the question');
    }
  }
  const required = schema.required ?? [];
  return { input, missing: required.filter((name) => !(name in input)), filledBy };
}
