import type { paths } from './schema.gen';

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<O> = O extends { responses: infer R }
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer B }
      ? JsonOf<B>
      : R extends { 202: infer C }
        ? JsonOf<C>
        : never
  : never;

/** The JSON a route answers with on success: `Reply<'/me/', 'get'>`. */
export type Reply<P extends keyof paths, M extends keyof paths[P]> = Ok<paths[P][M]>;
/** The JSON body a route takes: `Body<'/users/', 'post'>`. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? NonNullable<B>
  : never;
/** A route's query parameters. */
export type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

export type Me = Reply<'/me/', 'get'>;
export type Language = Me['settings']['language'];
export type UserRow = Reply<'/users/', 'get'>['items'][number];
export type UserStatus = UserRow['status'];
export type Session = Reply<'/me/sessions', 'get'>['items'][number];
export type ApiKey = Reply<'/api-keys/', 'get'>['items'][number];
export type CreatedApiKey = Reply<'/api-keys/', 'post'>;
export type Plan = Reply<'/plans/', 'get'>['plans'][number];
export type RateLimit = Reply<'/plans/rate-limits', 'get'>['rate_limits'][number];
export type AuditEntry = Reply<'/audit/', 'get'>['items'][number];
export type AuditResult = AuditEntry['result'];
export type JobQueue = Reply<'/admin/jobs', 'get'>['items'][number];
export type DeadLetter = Reply<'/admin/jobs/{queue}/dead-letters', 'get'>['items'][number];
export type Notice = Reply<'/notify/notices', 'get'>['items'][number];
export type NoticeInput = Body<'/notify/notices', 'post'>;
export type ActiveNotice = Reply<'/notify/notices/active', 'get'>['items'][number];
export type InboxItem = Reply<'/notify/inbox', 'get'>['items'][number];
export type Preferences = Reply<'/notify/preferences', 'get'>;
export type Preference = Preferences['preferences'][number];
export type NotifyChannel = Exclude<Preference['channel'], '*'>;
export type ChannelSettings = Reply<'/notify/channels', 'get'>['items'][number];
export type DeliveryLogEntry = Reply<'/notify/logs', 'get'>['items'][number];
export type DeliveryOutcome = NonNullable<Query<'/notify/logs', 'get'>['outcome']>;
export type QueueState = Reply<'/notify/queue', 'get'>['items'][number];
export type Provider = Reply<'/llm/providers', 'get'>['items'][number];
export type ProviderKey = Reply<'/llm/providers/{id}/keys', 'get'>['items'][number];
export type Model = Reply<'/llm/models', 'get'>['items'][number];
export type RoutingRule = Reply<'/llm/routing-rules', 'get'>['items'][number];
export type Usage = Reply<'/llm/usage', 'get'>;
export type UsageGroup = NonNullable<Query<'/llm/usage', 'get'>['group_by']>;
export type AuthMethods = Reply<'/auth/methods', 'get'>;
