import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/*
 * Test support (never imported by production code): the part every fake LLM vendor shares.
 * A real node:http server on loopback; the vendor files (fake-openai.ts, fake-anthropic.ts)
 * only translate between their wire protocol and the vendor-neutral `ParsedCall` / `Answer`.
 */

/** A tool call the fake model makes. `args` is sent as JSON, or verbatim when it is a string. */
export interface ToolCallScript {
  name: string;
  args: unknown;
  id?: string;
}

/** Token counts to report instead of the computed ones. `input` includes `cached` (OpenAI's meaning). */
export interface UsageScript {
  input?: number;
  output?: number;
  cached?: number;
}

/**
 * What the fake does with one request. Fields combine: `{ reply: 'hi', delayMs: 50 }`,
 * `{ cutAfterChunks: 2, usage: { output: 9 } }`. The empty behaviour `{}` answers normally.
 */
export interface Behaviour {
  /** Assistant text (default: `echo: <last user message>`, or `tool result: <…>` after a tool result). */
  reply?: string;
  /** Tool call(s) to make. Without `reply`, the answer carries no text. */
  toolCall?: ToolCallScript | ToolCallScript[];
  /** The structured-output answer (else one is made up from the request's JSON schema). */
  json?: unknown;
  /** Override the reported token counts. */
  usage?: UsageScript;
  /** Why the model stopped: `length` (max tokens) or `content-filter`. Default: stop / tool calls. */
  finish?: 'length' | 'content-filter';

  /** Answer with this HTTP error status, in the vendor's error shape. */
  status?: number;
  /** The error's message (default: a vendor-like one for the status). */
  message?: string;
  /** The vendor error `type` / `code` (default: derived from the status). */
  errorType?: string;
  /** With `status`: send `retry-after: <s>` (seconds; what every SDK here honours). */
  retryAfterS?: number;
  /** With `status`: send `retry-after-ms: <ms>` (read by `ai`'s retry before `retry-after`). */
  retryAfterMs?: number;

  /** Never answer (no headers, no body) until the client goes away. */
  hang?: boolean;
  /** Wait this long before sending the status line and headers. */
  delayMs?: number;
  /** Send headers at once, then wait this long before the first token (non-stream: before the body). */
  firstTokenDelayMs?: number;
  /** Stream: wait this long between content chunks. */
  chunkDelayMs?: number;
  /** 200 with a body that is not valid JSON (stream: one `data:` line that is not JSON, before the content). */
  malformed?: boolean;
  /** Stream: send the preamble and `n` content chunks, then destroy the socket. */
  cutAfterChunks?: number;
  /** Stream: send the preamble and `n` content chunks, then go silent (socket left open). */
  stallAfterChunks?: number;
  /**
   * Stream: send the preamble and `n` content chunks, then the vendor's in-stream error event
   * (`errorType` / `message`; default OpenAI `server_error`, Anthropic `overloaded_error`) and end.
   */
  streamErrorAfterChunks?: number;
}

/** One request the fake received. */
export interface RecordedRequest {
  /** 1-based, in arrival order. */
  seq: number;
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined without a body, the raw text when it is not JSON). */
  body: unknown;
  /** The behaviour applied (`{}` when it answered normally, `null` for unscripted routes). */
  behaviour: Behaviour | null;
  /** The status sent (0 while nothing was sent). */
  status: number;
  /**
   * `pending` while being answered; `completed` when the response ended; `aborted` when the
   * client closed the connection first (abort, timeout); `cut` when the fake destroyed it.
   */
  outcome: 'pending' | 'completed' | 'aborted' | 'cut';
}

export interface FakeVendorOptions {
  /** Accepted API keys (default: the vendor's `DEFAULT_…_KEY`). `[]` accepts any request. */
  apiKeys?: string[];
  /** Record requests in `requests` (default true; benchmarks turn it off). */
  record?: boolean;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
  /** Embedding vector size when the request does not ask for `dimensions` (default 64). */
  embeddingDimensions?: number;
}

export interface FakeVendor {
  /** Base URL as the SDK expects it (`http://127.0.0.1:<port>/v1`). */
  readonly url: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The first accepted key. */
  readonly apiKey: string;
  readonly requests: readonly RecordedRequest[];
  /** Requests whose connection is still open (hung, delayed, streaming, stalled). */
  readonly inFlight: number;
  /** Queue behaviours, consumed one per model call (chat, responses, messages, embeddings). */
  enqueue(...behaviours: Behaviour[]): void;
  /** The behaviour used when the queue is empty (`undefined`: answer normally). */
  setDefault(behaviour?: Behaviour): void;
  /** Behaviours still queued. */
  readonly queued: number;
  /** Empty the queue, drop the default and the recorded requests. */
  reset(): void;
  /** Resolves when no request is in flight (rejects after `timeoutMs`, default 5 s). */
  waitForIdle(timeoutMs?: number): Promise<void>;
  /** Stop listening and destroy every connection, hung ones included. Safe to call twice. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The vendor-neutral view of a model call.

export interface ToolSpec {
  name: string;
  schema: unknown;
}

/** What a vendor file extracts from a request body. */
export interface ParsedCall {
  model: string;
  stream: boolean;
  /** Every text in the prompt (system, messages, tool results): input tokens are counted from them. */
  promptTexts: string[];
  lastUserText: string;
  /** Set when the conversation ends with tool results: the default reply quotes them. */
  lastToolResult?: string;
  tools: ToolSpec[];
  /** The tool the request forces (`true`: any tool). */
  forcedTool?: string | true;
  /** Structured output was asked for; `schema` is null for plain JSON mode. */
  json?: { schema: unknown };
  /** Anthropic's JSON-tool mode: the tool whose input is the structured answer. */
  jsonToolName?: string;
}

export interface AnswerToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments. */
  args: string;
}

export interface Answer {
  text: string;
  /** `text` split into stream chunks (their count is the output token count of the text). */
  textChunks: string[];
  toolCalls: AnswerToolCall[];
  finish: 'stop' | 'tool-calls' | 'length' | 'content-filter';
  usage: { input: number; output: number; cached: number };
}

/** One server-sent event. `content` marks the chunks counted by the stream faults. */
export interface Frame {
  event?: string;
  data: string;
  content?: boolean;
}

/** A JSON body, or stream frames (with the vendor's in-stream error event, for `streamErrorAfterChunks`). */
export type RouteReply = { json: unknown } | { frames: Frame[]; errorFrame?: Frame };

export interface RouteContext {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  behaviour: Behaviour;
  /** Per-server request number, for deterministic ids. */
  seq: number;
  options: Required<Omit<FakeVendorOptions, 'apiKeys'>>;
}

export interface Route {
  /** Consumes a queued behaviour (model calls); unscripted routes only check the key. */
  scripted: boolean;
  handle(ctx: RouteContext): RouteReply;
}

export interface Dialect {
  /** Path prefixes the routes live under, e.g. `['/v1', '/openai/v1']`; the first is `url`. */
  basePaths: string[];
  /** `'<METHOD> <path after the base>'` → route. */
  routes: Record<string, Route>;
  defaultKey: string;
  /** An error response (status and JSON body) when the key is missing or wrong. */
  authenticate(
    headers: IncomingHttpHeaders,
    keys: readonly string[],
  ): { status: number; body: unknown } | null;
  errorBody(status: number, message: string | undefined, type: string | undefined): unknown;
  /** Extra response headers (e.g. a request id). */
  responseHeaders(seq: number): Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Helpers the vendor files share.

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The text of a message `content`: a string, or the `text` of its parts (nested `content` too). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (typeof part === 'string') out += part;
    else {
      const p = record(part);
      if (typeof p.text === 'string') out += p.text;
      else if (p.content !== undefined) out += contentText(p.content);
    }
  }
  return out;
}

const CHUNK = /[^\s,]+[\s,]*|[\s,]+/g;

/** Stream chunks of a text: words with their trailing space or comma. Joined, they give the text back. */
export function chunksOf(value: string): string[] {
  return value.match(CHUNK) ?? [];
}

/** The fake's token count: the number of chunks (words). */
export function tokensOf(value: string): number {
  let n = 0;
  CHUNK.lastIndex = 0;
  while (CHUNK.exec(value)) n++;
  return n;
}

const MAX_ECHO = 200;

function clip(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_ECHO ? `${flat.slice(0, MAX_ECHO)}…` : flat;
}

/** A value that satisfies a JSON schema well enough for a structured-output test. */
export function sampleFromSchema(schema: unknown, hint = 'text', depth = 0): unknown {
  const s = record(schema);
  if (depth > 8) return null;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ('default' in s) return s.default;
  const alternatives = list(s.anyOf ?? s.oneOf);
  if (alternatives.length > 0) {
    const usable = alternatives.find((a) => record(a).type !== 'null') ?? alternatives[0];
    return sampleFromSchema(usable, hint, depth + 1);
  }
  if (Array.isArray(s.allOf) && s.allOf.length > 0) return sampleFromSchema(s.allOf[0], hint, depth + 1);
  let type = s.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
  if (type === undefined) type = s.properties ? 'object' : s.items ? 'array' : undefined;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record(s.properties))) {
        out[key] = sampleFromSchema(value, key, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(1, typeof s.minItems === 'number' ? s.minItems : 1);
      return Array.from({ length: n }, () => sampleFromSchema(s.items, hint, depth + 1));
    }
    case 'string':
      return sampleString(s, hint);
    case 'integer':
    case 'number': {
      let n = typeof s.minimum === 'number' ? s.minimum : 0;
      if (typeof s.exclusiveMinimum === 'number' && n <= s.exclusiveMinimum) n = s.exclusiveMinimum + 1;
      if (typeof s.maximum === 'number' && n > s.maximum) n = s.maximum;
      return type === 'integer' ? Math.ceil(n) : n;
    }
    case 'boolean':
      return false;
    default:
      return null;
  }
}

function sampleString(s: Record<string, unknown>, hint: string): string {
  switch (s.format) {
    case 'date-time':
      return '2024-01-01T00:00:00.000Z';
    case 'date':
      return '2024-01-01';
    case 'email':
      return 'user@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
  }
  let out = hint;
  if (typeof s.minLength === 'number' && out.length < s.minLength) out = out.padEnd(s.minLength, 'x');
  if (typeof s.maxLength === 'number' && out.length > s.maxLength) out = out.slice(0, s.maxLength);
  return out;
}

function fnv1a(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic unit vector for a text: hashed bag of words, so texts that share words have a
 * higher cosine similarity (good enough for retrieval tests).
 */
export function embeddingOf(value: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  const words = value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    const h = fnv1a(word);
    v[h % dimensions] = (v[h % dimensions] ?? 0) + (h & 0x80000000 ? -1 : 1);
  }
  let norm = Math.hypot(...v);
  if (norm === 0) {
    v[fnv1a(value) % dimensions] = 1;
    norm = 1;
  }
  return v.map((x) => x / norm);
}

/** Decide the answer to a model call: scripted, or made up from the request. */
export function planAnswer(call: ParsedCall, behaviour: Behaviour, ids: (i: number) => string): Answer {
  const scripted =
    behaviour.toolCall === undefined
      ? []
      : Array.isArray(behaviour.toolCall)
        ? behaviour.toolCall
        : [behaviour.toolCall];
  const calls: ToolCallScript[] = [...scripted];
  if (calls.length === 0 && call.forcedTool !== undefined && call.tools.length > 0) {
    const name =
      call.forcedTool === true ? (call.jsonToolName ?? (call.tools[0] as ToolSpec).name) : call.forcedTool;
    const tool = call.tools.find((t) => t.name === name);
    const args =
      name === call.jsonToolName && behaviour.json !== undefined
        ? behaviour.json
        : sampleFromSchema(tool?.schema, call.lastUserText);
    calls.push({ name, args });
  }
  const toolCalls = calls.map((c, i) => ({
    id: c.id ?? ids(i),
    name: c.name,
    args: typeof c.args === 'string' ? c.args : JSON.stringify(c.args ?? {}),
  }));

  let answer: string;
  if (behaviour.reply !== undefined) answer = behaviour.reply;
  else if (toolCalls.length > 0) answer = '';
  else if (call.json !== undefined || behaviour.json !== undefined) {
    const value =
      behaviour.json !== undefined
        ? behaviour.json
        : call.json?.schema != null
          ? sampleFromSchema(call.json.schema, clip(call.lastUserText))
          : { echo: clip(call.lastUserText) };
    answer = JSON.stringify(value);
  } else if (call.lastToolResult !== undefined) answer = `tool result: ${clip(call.lastToolResult)}`;
  else answer = `echo: ${clip(call.lastUserText)}`;

  const textChunks = chunksOf(answer);
  let output = textChunks.length;
  for (const t of toolCalls) output += Math.max(1, tokensOf(t.args));
  let input = 0;
  for (const t of call.promptTexts) input += tokensOf(t);
  const usage = {
    input: behaviour.usage?.input ?? Math.max(1, input),
    output: behaviour.usage?.output ?? Math.max(1, output),
    cached: behaviour.usage?.cached ?? 0,
  };
  const finish = behaviour.finish ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop');
  return { text: answer, textChunks, toolCalls, finish, usage };
}

/** Argument JSON split into stream pieces (at commas and spaces, as `chunksOf`). */
export function argChunks(args: string): string[] {
  const pieces = chunksOf(args);
  return pieces.length > 0 ? pieces : [''];
}

// ---------------------------------------------------------------------------------------------
// The server.

interface Exchange {
  rec: RecordedRequest;
  closed: AbortController;
}

function serializeFrame(frame: Frame): string {
  return frame.event === undefined
    ? `data: ${frame.data}\n\n`
    : `event: ${frame.event}\ndata: ${frame.data}\n\n`;
}

const MALFORMED_FRAME: Frame = { data: '{"choices":[{"delta":{"content":"this is not json', content: false };

export async function startFakeVendor(
  dialect: Dialect,
  options: FakeVendorOptions = {},
): Promise<FakeVendor> {
  const keys = options.apiKeys ?? [dialect.defaultKey];
  const settings: RouteContext['options'] = {
    record: options.record ?? true,
    models: options.models ?? [],
    embeddingDimensions: options.embeddingDimensions ?? 64,
  };
  const requests: RecordedRequest[] = [];
  let queue: Behaviour[] = [];
  let fallback: Behaviour | undefined;
  let seq = 0;
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  const live = new Set<Exchange>();
  let closing: Promise<void> | undefined;

  const settle = () => {
    if (inFlight !== 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const sendJson = (
    res: ServerResponse,
    ex: Exchange,
    status: number,
    body: unknown,
    extra?: Record<string, string>,
  ) => {
    const payload = JSON.stringify(body);
    ex.rec.status = status;
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      ...dialect.responseHeaders(ex.rec.seq),
      ...extra,
    });
    res.end(payload);
  };

  const wait = async (ms: number | undefined, ex: Exchange): Promise<boolean> => {
    if (ms === undefined || ms <= 0) return !ex.closed.signal.aborted;
    try {
      await sleep(ms, undefined, { signal: ex.closed.signal });
      return true;
    } catch {
      return false;
    }
  };

  const cut = (res: ServerResponse, ex: Exchange) => {
    ex.rec.outcome = 'cut';
    res.socket?.destroy();
  };

  /** Write a chunk and wait until it reached the socket (or the exchange ended). */
  const writeFlushed = (res: ServerResponse, ex: Exchange, chunk: string) =>
    new Promise<void>((resolve) => {
      const signal = ex.closed.signal;
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      signal.addEventListener('abort', done);
      res.write(chunk, done);
    });

  const stream = async (
    res: ServerResponse,
    ex: Exchange,
    frames: Frame[],
    b: Behaviour,
    errorFrame?: Frame,
  ) => {
    ex.rec.status = 200;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...dialect.responseHeaders(ex.rec.seq),
    });
    const slow =
      b.firstTokenDelayMs !== undefined ||
      b.chunkDelayMs !== undefined ||
      b.cutAfterChunks !== undefined ||
      b.stallAfterChunks !== undefined;
    let all = frames;
    if (b.streamErrorAfterChunks !== undefined && errorFrame) {
      // Keep the preamble and n content chunks (all of them when there are fewer), then the error.
      const contentAt = all.flatMap((f, i) => (f.content ? [i] : []));
      const last = contentAt.at(-1);
      const at = contentAt[b.streamErrorAfterChunks] ?? (last === undefined ? all.length : last + 1);
      all = [...all.slice(0, at), errorFrame];
    }
    if (b.malformed) {
      const first = all.findIndex((f) => f.content);
      const at = first < 0 ? all.length : first;
      all = [...all.slice(0, at), MALFORMED_FRAME, ...all.slice(at)];
    }
    if (!slow) {
      // The common path: one write.
      let out = '';
      for (const f of all) out += serializeFrame(f);
      res.end(out);
      return;
    }
    let sent = 0;
    for (const frame of all) {
      if (frame.content) {
        if (b.cutAfterChunks !== undefined && sent >= b.cutAfterChunks) return cut(res, ex);
        if (b.stallAfterChunks !== undefined && sent >= b.stallAfterChunks) return; // silent until closed
        if (!(await wait(sent === 0 ? b.firstTokenDelayMs : b.chunkDelayMs, ex))) return;
        sent++;
      }
      if (ex.closed.signal.aborted) return;
      await writeFlushed(res, ex, serializeFrame(frame));
    }
    if (b.cutAfterChunks !== undefined && sent >= b.cutAfterChunks) return cut(res, ex);
    if (b.stallAfterChunks !== undefined) return;
    res.end();
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, ex: Exchange) => {
    const [rawPath = '/', query = ''] = (req.url ?? '/').split('?', 2);
    ex.rec.path = rawPath;
    ex.rec.query = query;
    const base = dialect.basePaths.find((p) => rawPath.startsWith(`${p}/`));
    const route =
      base === undefined ? undefined : dialect.routes[`${req.method} ${rawPath.slice(base.length)}`];
    const raw = await readBody(req);
    if (raw === null) return; // the client went away mid-body
    let body: unknown;
    let invalidJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        invalidJson = true;
      }
    }
    ex.rec.body = body;
    if (route === undefined) {
      return sendJson(
        res,
        ex,
        404,
        dialect.errorBody(404, `Unknown request URL: ${req.method} ${rawPath}`, undefined),
      );
    }
    const denied = keys.length > 0 ? dialect.authenticate(req.headers, keys) : null;
    if (denied) return sendJson(res, ex, denied.status, denied.body);
    if (invalidJson) {
      return sendJson(res, ex, 400, dialect.errorBody(400, 'The request body is not valid JSON.', undefined));
    }
    const b: Behaviour = route.scripted ? (queue.shift() ?? fallback ?? {}) : {};
    ex.rec.behaviour = route.scripted ? b : null;

    if (!(await wait(b.delayMs, ex))) return;
    if (b.hang) return; // the close handler ends the exchange
    if (b.status !== undefined && b.status >= 400) {
      const extra: Record<string, string> = {};
      if (b.retryAfterS !== undefined) extra['retry-after'] = String(b.retryAfterS);
      if (b.retryAfterMs !== undefined) extra['retry-after-ms'] = String(b.retryAfterMs);
      return sendJson(res, ex, b.status, dialect.errorBody(b.status, b.message, b.errorType), extra);
    }

    const reply = route.handle({
      path: rawPath,
      headers: req.headers,
      body,
      behaviour: b,
      seq: ex.rec.seq,
      options: settings,
    });
    if ('frames' in reply) return stream(res, ex, reply.frames, b, reply.errorFrame);

    const payload = JSON.stringify(reply.json);
    if (b.firstTokenDelayMs !== undefined || b.malformed) {
      ex.rec.status = 200;
      res.writeHead(200, { 'content-type': 'application/json', ...dialect.responseHeaders(ex.rec.seq) });
      res.flushHeaders();
      if (!(await wait(b.firstTokenDelayMs, ex))) return;
      res.end(b.malformed ? payload.slice(0, Math.max(1, Math.floor(payload.length / 2))) : payload);
      return;
    }
    sendJson(res, ex, 200, reply.json);
  };

  const server = createServer((req, res) => {
    seq++;
    const rec: RecordedRequest = {
      seq,
      method: req.method ?? 'GET',
      path: '',
      query: '',
      headers: req.headers,
      body: undefined,
      behaviour: null,
      status: 0,
      outcome: 'pending',
    };
    if (settings.record) requests.push(rec);
    const ex: Exchange = { rec, closed: new AbortController() };
    live.add(ex);
    inFlight++;
    res.on('close', () => {
      live.delete(ex);
      if (rec.outcome === 'pending') rec.outcome = res.writableFinished ? 'completed' : 'aborted';
      ex.closed.abort();
      inFlight--;
      settle();
    });
    answer(req, res, ex).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, ex, 500, dialect.errorBody(500, `fake vendor failed: ${String(error)}`, undefined));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${dialect.basePaths[0]}`,
    origin,
    apiKey: keys[0] ?? dialect.defaultKey,
    requests,
    get inFlight() {
      return inFlight;
    },
    get queued() {
      return queue.length;
    },
    enqueue(...behaviours) {
      queue.push(...behaviours);
    },
    setDefault(behaviour) {
      fallback = behaviour;
    },
    reset() {
      queue = [];
      fallback = undefined;
      requests.length = 0;
    },
    waitForIdle(timeoutMs = 5_000) {
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          idleWaiters = idleWaiters.filter((w) => w !== done);
          reject(new Error(`fake vendor: ${inFlight} request(s) still in flight after ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        idleWaiters.push(done);
      });
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        queue = [];
        for (const ex of live) ex.closed.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null)); // no-op after 'end'
  });
}
