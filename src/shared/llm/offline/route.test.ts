import { describe, expect, it } from 'vitest';
import { chooseRoute, extractArguments, type RouteOption, readRoutes } from './route.js';

/** The Ops planner's route types (seed 003: LOOKUP, AGGREGATE, GRAPH, DIRECT, REJECT). */
const opsSystem = `You route operations questions.
Routes:
- LOOKUP: single data lookup, the current value of one metric ("CPU 사용량은?", "what is the memory of db-01")
- AGGREGATE: aggregation over time: average, sum, count, maximum ("평균 응답 시간", "total errors")
- GRAPH: dependency analysis between services, connections and topology ("서비스 간 연결")
- DIRECT: direct answer without data, such as the system time or version
- REJECT: questions Ops does not support

Answer with JSON.`;

const tools: RouteOption[] = [
  {
    name: 'search_logs',
    description: 'Search application logs for a text within a time range',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'text to find' },
        service: { type: 'string' },
        since: { type: 'string', description: 'how far back, e.g. 1h, 24h' },
        limit: { type: 'integer' },
      },
      required: ['query'],
    },
  },
  {
    name: 'get_metric',
    description: 'Read a metric (cpu, memory, latency) of a host',
    inputSchema: {
      type: 'object',
      properties: {
        metric: { type: 'string' },
        host: { type: 'string' },
        window_minutes: { type: 'integer', description: 'window in minutes' },
      },
      required: ['metric', 'host'],
    },
  },
  { name: 'search_documents', description: 'Find runbooks and documents by keywords' },
];

describe('readRoutes', () => {
  it('reads a Routes: list with descriptions', () => {
    const routes = readRoutes(opsSystem);
    expect(routes.map((r) => r.name)).toEqual(['LOOKUP', 'AGGREGATE', 'GRAPH', 'DIRECT', 'REJECT']);
    expect(routes[2]?.description).toMatch(/^dependency analysis/);
  });

  it('reads numbered items, dashes and an inline list', () => {
    expect(
      readRoutes('Tools:\n1. billing - invoices and refunds\n2. `shipping` — parcels\n').map((r) => r.name),
    ).toEqual(['billing', 'shipping']);
    expect(readRoutes('라우트: 결제, 배송, 기타').map((r) => r.name)).toEqual(['결제', '배송', '기타']);
    expect(readRoutes('No routes here.')).toEqual([]);
  });
});

describe('chooseRoute', () => {
  const routes = readRoutes(opsSystem);

  it.each([
    ['What is the average response time of the checkout service this week?', 'AGGREGATE'],
    ['Which services depend on the payments database?', 'GRAPH'],
    ['What time is it on the system?', 'DIRECT'],
    ['지난 1시간 평균 응답 시간은?', 'AGGREGATE'],
    ['결제 서비스와 연결된 서비스들의 의존성 보여줘', 'GRAPH'],
    ['db-01 메모리 사용량은?', 'LOOKUP'],
  ])('routes %s to %s', (question, route) => {
    const decision = chooseRoute(question, routes);
    expect(decision.route).toBe(route);
    expect(decision.confidence).toBeGreaterThan(0);
    expect(decision.confidence).toBeLessThanOrEqual(1);
    expect(decision.reason).toMatch(/^matched /);
  });

  it('falls back to a route meant for the rest, with no confidence, when nothing matches', () => {
    expect(chooseRoute('Write me a poem about autumn', routes)).toMatchObject({
      route: 'REJECT',
      confidence: 0,
    });
    expect(chooseRoute('Write me a poem about autumn', tools)).toMatchObject({ route: null, confidence: 0 });
  });

  it('picks tools by their names and descriptions, in English and Korean', () => {
    expect(chooseRoute('show error logs of api-gateway from the last 24 hours', tools).route).toBe(
      'search_logs',
    );
    expect(chooseRoute('지난 1시간 동안 api-gateway 에러 로그 보여줘', tools).route).toBe('search_logs');
    expect(chooseRoute('CPU of web-01 right now', tools).route).toBe('get_metric');
    expect(chooseRoute('장애 대응 문서 찾아줘', tools).route).toBe('search_documents');
  });
});

describe('extractArguments', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const [searchLogs, getMetric] = tools;

  it('fills text, entity, time and number properties from the question', () => {
    const { input, missing } = extractArguments(
      'show the top 20 "connection refused" errors of api-gateway from the last 24 hours',
      searchLogs?.inputSchema,
      now,
    );
    expect(input).toEqual({ query: 'connection refused', service: 'api-gateway', since: '24h', limit: 20 });
    expect(missing).toEqual([]);
  });

  it('reads Korean time ranges and converts them to the unit a property names', () => {
    const { input } = extractArguments('지난 1시간 동안 web-01 CPU 사용량', getMetric?.inputSchema, now);
    expect(input).toEqual({ metric: 'cpu', host: 'web-01', window_minutes: 60 });
  });

  it('leaves out what the question does not say and lists missing required properties', () => {
    const { input, missing } = extractArguments('memory please', getMetric?.inputSchema, now);
    expect(input).toEqual({ metric: 'memory' });
    expect(missing).toEqual(['host']);
  });

  it('fills ISO timestamps for from/to properties and enum values the question names', () => {
    const schema = {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        level: { type: 'string', enum: ['debug', 'info', 'warn', 'error'] },
      },
    };
    expect(extractArguments('warn lines in the past 2 hours', schema, now).input).toEqual({
      from: '2026-03-10T10:00:00.000Z',
      to: '2026-03-10T12:00:00.000Z',
      level: 'warn',
    });
  });
});
