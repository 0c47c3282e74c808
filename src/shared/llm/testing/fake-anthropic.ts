import type { IncomingHttpHeaders } from 'node:http';
import {
  argChunks,
  contentText,
  type Dialect,
  type FakeVendor,
  type FakeVendorOptions,
  type Frame,
  list,
  type ParsedCall,
  planAnswer,
  type RouteContext,
  type RouteReply,
  record,
  startFakeVendor,
  text,
} from './fake-vendor.js';

/*
 * Test support: a loopback server speaking Anthropic's Messages API as @ai-sdk/anthropic calls it.
 */

export const DEFAULT_ANTHROPIC_KEY = 'sk-ant-fake-key-0123456789';

export async function startFakeAnthropic(options: FakeVendorOptions = {}): Promise<FakeVendor> {
  return startFakeVendor(anthropicDialect, {
    models: ['claude-sonnet-4-5', 'claude-3-haiku-20240307'],
    ...options,
  });
}

const anthropicDialect: Dialect = {
  basePaths: ['/v1'],
  defaultKey: DEFAULT_ANTHROPIC_KEY,
  routes: {
    'POST /messages': { scripted: true, handle: messages },
    'GET /models': { scripted: false, handle: models },
  },
  authenticate,
  errorBody,
  responseHeaders: (seq) => ({ 'request-id': `req_fake_${seq}` }),
};

const ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'The requested resource could not be found.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: {
    type: 'rate_limit_error',
    message: 'Number of request tokens has exceeded your per-minute rate limit. Please try again later.',
  },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

function errorBody(status: number, message: string | undefined, type: string | undefined): unknown {
  const known = ERRORS[status] ?? { type: 'api_error', message: `HTTP ${status}` };
  return { type: 'error', error: { type: type ?? known.type, message: message ?? known.message } };
}

function authenticate(headers: IncomingHttpHeaders, keys: readonly string[]) {
  const apiKey = headers['x-api-key'];
  const bearer = headers.authorization?.startsWith('Bearer ')
    ? headers.authorization.slice(7).trim()
    : undefined;
  const key = typeof apiKey === 'string' ? apiKey : bearer;
  if (key === undefined || !keys.includes(key))
    return { status: 401, body: errorBody(401, undefined, undefined) };
  if (headers['anthropic-version'] === undefined) {
    return { status: 400, body: errorBody(400, 'anthropic-version: header is required', undefined) };
  }
  return null;
}

const STOP = {
  stop: 'end_turn',
  'tool-calls': 'tool_use',
  length: 'max_tokens',
  'content-filter': 'refusal',
};

/** The text blocks of a message (tool results left out). */
function userText(content: unknown): string {
  if (typeof content === 'string') return content;
  return list(content)
    .map(record)
    .filter((b) => b.type === 'text')
    .map((b) => text(b.text))
    .join('');
}

function parseMessages(body: Record<string, unknown>): ParsedCall {
  const promptTexts = [contentText(body.system)];
  const messages = list(body.messages).map(record);
  let lastUserText = '';
  for (const m of messages) {
    promptTexts.push(contentText(m.content));
    for (const block of list(m.content).map(record)) {
      if (block.type === 'tool_use') promptTexts.push(JSON.stringify(block.input ?? {}));
    }
    if (m.role === 'user') {
      const t = userText(m.content);
      if (t !== '') lastUserText = t;
    }
  }
  const last = messages.at(-1);
  const results =
    last?.role === 'user'
      ? list(last.content)
          .map(record)
          .filter((b) => b.type === 'tool_result')
      : [];
  const tools = list(body.tools)
    .map(record)
    .filter((t) => typeof t.name === 'string')
    .map((t) => ({ name: text(t.name), schema: t.input_schema }));
  const choice = record(body.tool_choice);
  const forcedTool = choice.type === 'any' ? true : choice.type === 'tool' ? text(choice.name) : undefined;
  const format = record(record(body.output_config).format);
  return {
    model: text(body.model),
    stream: body.stream === true,
    promptTexts,
    lastUserText,
    lastToolResult: results.length > 0 ? results.map((r) => contentText(r.content)).join('\n') : undefined,
    tools: choice.type === 'none' ? [] : tools,
    forcedTool,
    json: format.type === 'json_schema' ? { schema: format.schema ?? null } : undefined,
    jsonToolName: forcedTool !== undefined && tools.some((t) => t.name === 'json') ? 'json' : undefined,
  };
}

function messages(ctx: RouteContext): RouteReply {
  const call = parseMessages(record(ctx.body));
  const a = planAnswer(call, ctx.behaviour, (i) => `toolu_fake_${ctx.seq}_${i}`);
  const id = `msg_fake_${ctx.seq}`;
  // Anthropic's input_tokens leaves out cache reads; the SDK adds them back into inputTokens.total.
  const input = Math.max(0, a.usage.input - a.usage.cached);
  const usage = {
    input_tokens: input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: a.usage.cached,
    output_tokens: a.usage.output,
  };
  const stopReason = STOP[a.finish];
  const content: Record<string, unknown>[] = [];
  if (a.text !== '' || a.toolCalls.length === 0) content.push({ type: 'text', text: a.text });
  for (const t of a.toolCalls)
    content.push({ type: 'tool_use', id: t.id, name: t.name, input: parseArgs(t.args) });

  if (!call.stream) {
    return {
      json: {
        id,
        type: 'message',
        role: 'assistant',
        model: call.model,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      },
    };
  }

  const frames: Frame[] = [];
  const event = (type: string, payload: Record<string, unknown>, isContent = false) => {
    frames.push({ event: type, data: JSON.stringify({ type, ...payload }), content: isContent });
  };
  event('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: call.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  let index = 0;
  if (content[0]?.type === 'text') {
    event('content_block_start', { index, content_block: { type: 'text', text: '' } });
    event('ping', {});
    for (const chunk of a.textChunks) {
      event('content_block_delta', { index, delta: { type: 'text_delta', text: chunk } }, true);
    }
    event('content_block_stop', { index });
    index++;
  }
  for (const t of a.toolCalls) {
    event('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: t.id, name: t.name, input: {} },
    });
    for (const piece of argChunks(t.args)) {
      event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }, true);
    }
    event('content_block_stop', { index });
    index++;
  }
  event('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: a.usage.output },
  });
  event('message_stop', {});
  const b = ctx.behaviour;
  if (b.streamErrorAfterChunks === undefined) return { frames };
  const type = b.errorType ?? 'overloaded_error';
  const message = b.message ?? (type === 'overloaded_error' ? 'Overloaded' : 'Internal server error');
  return {
    frames,
    errorFrame: { event: 'error', data: JSON.stringify({ type: 'error', error: { type, message } }) },
  };
}

/** tool_use.input is an object on the wire; a scripted non-JSON string goes through as a string. */
function parseArgs(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function models(ctx: RouteContext): RouteReply {
  const data = ctx.options.models.map((id) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: '2024-01-01T00:00:00Z',
  }));
  return { json: { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null } };
}
