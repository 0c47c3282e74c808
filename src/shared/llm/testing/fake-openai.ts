import type { IncomingHttpHeaders } from 'node:http';
import {
  type Answer,
  argChunks,
  contentText,
  type Dialect,
  embeddingOf,
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
  tokensOf,
} from './fake-vendor.js';

/*
 * Test support: a loopback server speaking OpenAI's REST API as @ai-sdk/openai (chat and
 * responses models), @ai-sdk/openai-compatible and @ai-sdk/groq call it.
 */

export const DEFAULT_OPENAI_KEY = 'sk-fake-openai-key-0123456789';

export interface FakeOpenAI extends FakeVendor {
  /** The same server under Groq's base path (`…/openai/v1`), streaming usage in `x_groq` as Groq does. */
  readonly groqUrl: string;
}

export async function startFakeOpenAI(options: FakeVendorOptions = {}): Promise<FakeOpenAI> {
  const vendor = await startFakeVendor(openaiDialect, {
    models: ['gpt-4o-mini', 'gpt-4.1', 'text-embedding-3-small'],
    ...options,
  });
  return Object.defineProperty(vendor, 'groqUrl', {
    value: `${vendor.origin}/openai/v1`,
    enumerable: true,
  }) as FakeOpenAI;
}

const openaiDialect: Dialect = {
  basePaths: ['/v1', '/openai/v1'],
  defaultKey: DEFAULT_OPENAI_KEY,
  routes: {
    'POST /chat/completions': { scripted: true, handle: chatCompletions },
    'POST /responses': { scripted: true, handle: responses },
    'POST /embeddings': { scripted: true, handle: embeddings },
    'GET /models': { scripted: false, handle: models },
  },
  authenticate,
  errorBody,
  responseHeaders: (seq) => ({ 'x-request-id': `req_fake_${seq}` }),
};

// ---------------------------------------------------------------------------------------------
// Errors and keys.

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  408: { type: 'timeout', code: null, message: 'Request timed out.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  502: { type: 'server_error', code: null, message: 'Bad gateway.' },
  503: {
    type: 'server_error',
    code: null,
    message: 'The engine is currently overloaded, please try again later.',
  },
};

function errorBody(status: number, message: string | undefined, type: string | undefined): unknown {
  const known = ERRORS[status] ?? { type: 'server_error', code: null, message: `HTTP ${status}` };
  return {
    error: {
      message: message ?? known.message,
      type: type ?? known.type,
      param: null,
      code: type ?? known.code,
    },
  };
}

/** The error event OpenAI sends inside a stream that fails after it started. */
function streamError(type: string | undefined, message: string | undefined) {
  const t = type ?? 'server_error';
  return {
    error: {
      message: message ?? 'The server had an error while processing your request. Sorry about that!',
      type: t,
      param: null,
      code: t,
    },
  };
}

/** As OpenAI shows a wrong key: the first 3 and last 4 characters. */
function mask(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

function authenticate(headers: IncomingHttpHeaders, keys: readonly string[]) {
  const header = headers.authorization ?? '';
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (key === '') {
    return {
      status: 401,
      body: errorBody(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        undefined,
      ),
    };
  }
  if (keys.includes(key)) return null;
  return { status: 401, body: errorBody(401, `Incorrect API key provided: ${mask(key)}.`, undefined) };
}

// ---------------------------------------------------------------------------------------------
// Chat completions (openai.chat(), openai-compatible, groq).

const CHAT_FINISH = {
  stop: 'stop',
  'tool-calls': 'tool_calls',
  length: 'length',
  'content-filter': 'content_filter',
};

function parseChat(body: Record<string, unknown>): ParsedCall {
  const messages = list(body.messages).map(record);
  const promptTexts: string[] = [];
  let lastUserText = '';
  for (const m of messages) {
    const t = contentText(m.content);
    promptTexts.push(t);
    if (m.role === 'user') lastUserText = t;
    for (const call of list(m.tool_calls)) promptTexts.push(text(record(record(call).function).arguments));
  }
  let lastToolResult: string | undefined;
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role === 'tool'; i--) {
    const t = contentText(messages[i]?.content);
    lastToolResult = lastToolResult === undefined ? t : `${t}\n${lastToolResult}`;
  }
  const tools = list(body.tools).map((t) => {
    const fn = record(record(t).function);
    return { name: text(fn.name), schema: fn.parameters };
  });
  const choice = body.tool_choice;
  const forcedTool =
    choice === 'required'
      ? true
      : typeof choice === 'object'
        ? text(record(record(choice).function).name)
        : undefined;
  const format = record(body.response_format);
  const json =
    format.type === 'json_schema'
      ? { schema: record(format.json_schema).schema ?? null }
      : format.type === 'json_object'
        ? { schema: null }
        : undefined;
  return {
    model: text(body.model),
    stream: body.stream === true,
    promptTexts,
    lastUserText,
    lastToolResult,
    tools: choice === 'none' ? [] : tools,
    forcedTool: forcedTool || undefined,
    json,
  };
}

function chatUsage(a: Answer) {
  return {
    prompt_tokens: a.usage.input,
    completion_tokens: a.usage.output,
    total_tokens: a.usage.input + a.usage.output,
    prompt_tokens_details: { cached_tokens: a.usage.cached },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

function chatCompletions(ctx: RouteContext): RouteReply {
  const body = record(ctx.body);
  const call = parseChat(body);
  const a = planAnswer(call, ctx.behaviour, (i) => `call_fake_${ctx.seq}_${i}`);
  const id = `chatcmpl-fake-${ctx.seq}`;
  const created = Math.floor(Date.now() / 1000);
  const model = call.model;
  const finish = CHAT_FINISH[a.finish];

  if (!call.stream) {
    return {
      json: {
        id,
        object: 'chat.completion',
        created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: a.text === '' && a.toolCalls.length > 0 ? null : a.text,
              refusal: null,
              ...(a.toolCalls.length > 0 && {
                tool_calls: a.toolCalls.map((t) => ({
                  id: t.id,
                  type: 'function',
                  function: { name: t.name, arguments: t.args },
                })),
              }),
            },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage: chatUsage(a),
      },
    };
  }

  // Every chunk repeats id/created/model, as OpenAI's do.
  const head = `{"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":"fp_fake","choices":`;
  const delta = (d: unknown, finishReason: string | null = null) =>
    `${head}[{"index":0,"delta":${JSON.stringify(d)},"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}]}`;
  const frames: Frame[] = [{ data: delta({ role: 'assistant', content: '', refusal: null }) }];
  for (const chunk of a.textChunks) frames.push({ data: delta({ content: chunk }), content: true });
  a.toolCalls.forEach((t, index) => {
    argChunks(t.args).forEach((piece, i) => {
      const d =
        i === 0
          ? {
              tool_calls: [
                { index, id: t.id, type: 'function', function: { name: t.name, arguments: piece } },
              ],
            }
          : { tool_calls: [{ index, function: { arguments: piece } }] };
      frames.push({ data: delta(d), content: true });
    });
  });
  const groq = ctx.path.startsWith('/openai/');
  if (groq) {
    frames.push({
      data: `${head}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${finish}"}],"x_groq":${JSON.stringify({ id: `req_fake_${ctx.seq}`, usage: chatUsage(a) })}}`,
    });
  } else frames.push({ data: delta({}, finish) });
  if (record(body.stream_options).include_usage === true) {
    frames.push({ data: `${head}[],"usage":${JSON.stringify(chatUsage(a))}}` });
  }
  frames.push({ data: '[DONE]' });
  const b = ctx.behaviour;
  if (b.streamErrorAfterChunks === undefined) return { frames };
  return { frames, errorFrame: { data: JSON.stringify(streamError(b.errorType, b.message)) } };
}

// ---------------------------------------------------------------------------------------------
// Responses API (the default of @ai-sdk/openai 3: `openai(model)` = `openai.responses(model)`).

function parseResponses(body: Record<string, unknown>): ParsedCall {
  const promptTexts: string[] = [];
  if (typeof body.instructions === 'string') promptTexts.push(body.instructions);
  let lastUserText = '';
  const items =
    typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : list(body.input).map(record);
  for (const item of items) {
    if (item.type === 'function_call') promptTexts.push(text(item.arguments));
    else if (item.type === 'function_call_output') promptTexts.push(contentText(item.output));
    else {
      const t = contentText(item.content);
      promptTexts.push(t);
      if (item.role === 'user') lastUserText = t;
    }
  }
  let lastToolResult: string | undefined;
  for (let i = items.length - 1; i >= 0 && items[i]?.type === 'function_call_output'; i--) {
    const t = contentText(items[i]?.output);
    lastToolResult = lastToolResult === undefined ? t : `${t}\n${lastToolResult}`;
  }
  const tools = list(body.tools)
    .map(record)
    .filter((t) => t.type === 'function')
    .map((t) => ({ name: text(t.name), schema: t.parameters }));
  const choice = body.tool_choice;
  const forcedTool =
    choice === 'required' ? true : typeof choice === 'object' ? text(record(choice).name) : undefined;
  const format = record(record(body.text).format);
  const json =
    format.type === 'json_schema'
      ? { schema: format.schema ?? null }
      : format.type === 'json_object'
        ? { schema: null }
        : undefined;
  return {
    model: text(body.model),
    stream: body.stream === true,
    promptTexts,
    lastUserText,
    lastToolResult,
    tools: choice === 'none' ? [] : tools,
    forcedTool: forcedTool || undefined,
    json,
  };
}

function responses(ctx: RouteContext): RouteReply {
  const call = parseResponses(record(ctx.body));
  const a = planAnswer(call, ctx.behaviour, (i) => `call_fake_${ctx.seq}_${i}`);
  const id = `resp_fake_${ctx.seq}`;
  const messageId = `msg_fake_${ctx.seq}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = {
    input_tokens: a.usage.input,
    input_tokens_details: { cached_tokens: a.usage.cached },
    output_tokens: a.usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: a.usage.input + a.usage.output,
  };
  const incomplete =
    a.finish === 'length'
      ? { reason: 'max_output_tokens' }
      : a.finish === 'content-filter'
        ? { reason: 'content_filter' }
        : null;
  const messageItem = {
    type: 'message',
    id: messageId,
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: a.text, annotations: [] }],
  };
  const callItems = a.toolCalls.map((t, i) => ({
    type: 'function_call',
    id: `fc_fake_${ctx.seq}_${i}`,
    call_id: t.id,
    name: t.name,
    arguments: t.args,
    status: 'completed',
  }));
  const output = [...(a.text !== '' || callItems.length === 0 ? [messageItem] : []), ...callItems];
  const response = (status: string, out: unknown[], withUsage: boolean) => ({
    id,
    object: 'response',
    created_at: created,
    status,
    model: call.model,
    output: out,
    incomplete_details: status === 'completed' ? null : incomplete,
    usage: withUsage ? usage : null,
  });
  const finalStatus = incomplete ? 'incomplete' : 'completed';
  if (!call.stream) return { json: response(finalStatus, output, true) };

  const frames: Frame[] = [];
  let n = 0;
  const event = (type: string, payload: Record<string, unknown>, content = false) => {
    frames.push({ event: type, data: JSON.stringify({ type, sequence_number: n++, ...payload }), content });
  };
  event('response.created', { response: response('in_progress', [], false) });
  event('response.in_progress', { response: response('in_progress', [], false) });
  let index = 0;
  if (output[0] === messageItem) {
    event('response.output_item.added', {
      output_index: index,
      item: { ...messageItem, status: 'in_progress', content: [] },
    });
    const part = { type: 'output_text', text: '', annotations: [] };
    event('response.content_part.added', { item_id: messageId, output_index: index, content_index: 0, part });
    for (const chunk of a.textChunks) {
      event(
        'response.output_text.delta',
        { item_id: messageId, output_index: index, content_index: 0, delta: chunk, logprobs: [] },
        true,
      );
    }
    event('response.output_text.done', {
      item_id: messageId,
      output_index: index,
      content_index: 0,
      text: a.text,
      logprobs: [],
    });
    event('response.content_part.done', {
      item_id: messageId,
      output_index: index,
      content_index: 0,
      part: { ...part, text: a.text },
    });
    event('response.output_item.done', { output_index: index, item: messageItem });
    index++;
  }
  for (const item of callItems) {
    event('response.output_item.added', {
      output_index: index,
      item: { ...item, arguments: '', status: 'in_progress' },
    });
    for (const piece of argChunks(item.arguments)) {
      event(
        'response.function_call_arguments.delta',
        { item_id: item.id, output_index: index, delta: piece },
        true,
      );
    }
    event('response.function_call_arguments.done', {
      item_id: item.id,
      output_index: index,
      arguments: item.arguments,
    });
    event('response.output_item.done', { output_index: index, item });
    index++;
  }
  event(incomplete ? 'response.incomplete' : 'response.completed', {
    response: response(finalStatus, output, true),
  });
  const b = ctx.behaviour;
  if (b.streamErrorAfterChunks === undefined) return { frames };
  const { error } = streamError(b.errorType, b.message);
  const errorFrame = {
    event: 'error',
    data: JSON.stringify({
      type: 'error',
      sequence_number: n,
      code: error.code,
      message: error.message,
      param: null,
    }),
  };
  return { frames, errorFrame };
}

// ---------------------------------------------------------------------------------------------
// Embeddings and models.

function embeddings(ctx: RouteContext): RouteReply {
  const body = record(ctx.body);
  const inputs = typeof body.input === 'string' ? [body.input] : list(body.input).map((v) => text(v));
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : ctx.options.embeddingDimensions;
  let tokens = 0;
  const data = inputs.map((input, index) => {
    tokens += tokensOf(input);
    return { object: 'embedding', index, embedding: embeddingOf(input, dimensions) };
  });
  const usage = ctx.behaviour.usage?.input ?? tokens;
  return {
    json: {
      object: 'list',
      data,
      model: text(body.model),
      usage: { prompt_tokens: usage, total_tokens: usage },
    },
  };
}

function models(ctx: RouteContext): RouteReply {
  return {
    json: {
      object: 'list',
      data: ctx.options.models.map((id) => ({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'fake',
      })),
    },
  };
}
