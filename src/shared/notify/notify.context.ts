import { type BackgroundWorker, type ModuleContext, servicesPerContext } from '../../kernel/module/index.js';
import { planAllowances } from '../plans/index.js';
import { type ChannelSettings, createChannelSettings } from './config/channel-settings.js';
import { parseRates } from './delivery/backoff.js';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from './delivery/dispatcher.js';
import { createInAppChannel } from './inbox/inapp.channel.js';
import { createSignedLinks, type SignedLinks } from './links/signed-links.js';
import { createSend, type SendInput, type SendResult } from './send/send.service.js';
import { renderTemplate } from './templates/render.js';
import { createTemplates, type Templates } from './templates/templates.service.js';

/**
 * The notify module's service, one per process: every product sends through `send`.
 *
 * @example
 * await notify.send({
 *   to: { userId },
 *   template: 'commits.draft_ready',
 *   data: { repo: 'keel', subject: 'fix(parser): handle empty header' },
 *   channels: ['slack', 'webpush', 'inapp'],
 *   priority: 'high',
 *   dedupeKey: `draft:${draftId}`,
 *   url: approvalUrl,
 * });
 */
export interface Notify {
  /**
   * Resolves recipients and preferences and queues one delivery per channel and destination, in
   * one transaction; the dispatcher then delivers them. Opted-out, unconfigured and over-allowance
   * deliveries are stored as `skipped` with the reason, and logged.
   */
  send(input: SendInput): Promise<SendResult>;
  templates: Templates;
  channels: ChannelSettings;
  links: SignedLinks;
  dispatcher: Dispatcher;
  /** The dispatcher as the worker role runs it: stopping it also closes the channels' connections. */
  worker: BackgroundWorker;
}

/** Test seams and tuning: dispatcher timings, attempts, a clock. */
export type NotifyOptions = Partial<
  Pick<
    DispatcherOptions,
    | 'pollMs'
    | 'batchSize'
    | 'maxInFlight'
    | 'leaseMs'
    | 'attemptTimeoutMs'
    | 'backoff'
    | 'flushMs'
    | 'flushSize'
  >
> & {
  maxAttempts?: number;
  ratesPerSecond?: DispatcherOptions['ratesPerSecond'];
  now?: () => Date;
};

export const notifyServices = servicesPerContext(
  (ctx: ModuleContext, options: NotifyOptions = {}): Notify => {
    const { db, secrets, log, config } = ctx;
    const settings = config.settings;
    const templates = createTemplates(db);
    const channels = createChannelSettings({
      db,
      secrets,
      allowlist: (settings.NOTIFY_ALLOWLIST ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    });
    const inapp = createInAppChannel(db);
    const dispatcher = createDispatcher({
      db,
      secrets,
      log,
      ...options,
      ratesPerSecond: { ...parseRates(settings.NOTIFY_RATES), ...options.ratesPerSecond },
      adapterFor: (work) =>
        work.channel === 'inapp'
          ? Promise.resolve(inapp.adapterFor(work))
          : channels.adapterFor(work.orgId, work.channel),
      async render(work) {
        const source = await templates.version(work.type, work.locale, work.templateVersion);
        return renderTemplate(source, work.data, work.url ?? undefined);
      },
    });
    const allowances = planAllowances(ctx);
    const send = createSend({
      db,
      secrets,
      templates,
      isConfigured: (orgId, channel) => channels.isConfigured(orgId, channel),
      checkWebhook: (url) => channels.checkWebhook(url),
      consumeKakao: async (member, amount) => {
        // The system's own messages to a bare number (no user behind them) are not metered.
        if (!member.userId) return;
        await allowances.consume({ userId: member.userId, orgId: member.orgId }, 'kakao', amount);
      },
      wake: () => dispatcher.wake(),
      maxAttempts: options.maxAttempts ?? Number(settings.NOTIFY_MAX_ATTEMPTS ?? 8),
      now: options.now,
    });
    const worker: BackgroundWorker = {
      name: dispatcher.name,
      start: () => dispatcher.start(),
      async stop(stopOptions) {
        await dispatcher.stop(stopOptions);
        await channels.close();
      },
    };
    return { send, templates, channels, links: createSignedLinks(db, secrets), dispatcher, worker };
  },
);
