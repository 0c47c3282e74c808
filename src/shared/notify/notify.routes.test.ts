import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../test/support/identity.js';
import { eventually, withNotifyOptions } from '../../../test/support/notify.js';
import { type Notify, notifyServices } from './notify.context.js';
import {
  type FakeKakao,
  type FakePushService,
  type FakeSlack,
  type FakeSmtp,
  type FakeTwilio,
  startFakeKakao,
  startFakePushService,
  startFakeSlack,
  startFakeSmtp,
  startFakeTwilio,
  startWebhookReceiver,
  type WebhookReceiver,
} from './testing/index.js';

interface Delivery {
  id: string;
  channel: string;
  destination: string;
  state: string;
  last_error: string | null;
}

describe.each(testDatabases)('notify API ($kind)', (target) => {
  const h = useIdentityHarness(target, {
    modules: withNotifyOptions(),
    env: { NOTIFY_ALLOWLIST: '127.0.0.1/32' },
  });
  let notify: Notify;
  let admin: SignedInUser;
  let slack: FakeSlack;
  let smtp: FakeSmtp;
  let twilio: FakeTwilio;
  let kakao: FakeKakao;
  let push: FakePushService;
  let hooks: WebhookReceiver;

  beforeAll(async () => {
    notify = notifyServices(h.context);
    admin = await h.user({ roles: ['admin'] });
    [slack, smtp, twilio, kakao, push] = await Promise.all([
      startFakeSlack(),
      startFakeSmtp(),
      startFakeTwilio(),
      startFakeKakao({ templates: ['KEEL_TEST_01'] }),
      startFakePushService(),
    ]);
    notify.worker.start();
  });
  afterAll(async () => {
    await notify?.worker.stop({ graceMs: 1_000 });
    await Promise.all([slack, smtp, twilio, kakao, push, hooks].map((fake) => fake?.close()));
  });

  const inject = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    user: SignedInUser,
    payload?: unknown,
  ) =>
    h.app.inject({
      method,
      url,
      headers: user.auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  async function settledDeliveries(notificationId: string): Promise<Delivery[]> {
    return eventually(
      async () => {
        const response = await inject('GET', `/notify/notifications/${notificationId}/deliveries`, admin);
        const items = response.json().items as Delivery[];
        return items.every((d) => d.state !== 'pending' && d.state !== 'sending') ? items : undefined;
      },
      10_000,
      'every delivery to settle',
    );
  }

  it('sets up each channel through one API, never shows a secret, and names the bad field', async () => {
    const bad = await inject('PUT', '/notify/channels/sms', admin, {
      config: { accountSid: 'not-a-sid', from: '+15017122661' },
      secrets: { authToken: 'tok' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ field: 'config.accountSid' });

    const botWithoutToken = await inject('PUT', '/notify/channels/slack', admin, { config: { mode: 'bot' } });
    expect(botWithoutToken.statusCode).toBe(400);

    const setups: Array<[string, unknown]> = [
      [
        'slack',
        { config: { mode: 'bot', apiBaseUrl: slack.apiBaseUrl }, secrets: { botToken: slack.botToken } },
      ],
      [
        'email',
        {
          config: {
            host: smtp.host,
            port: smtp.port,
            secure: false,
            requireTLS: false,
            from: 'Keel <notify@keel.test>',
          },
        },
      ],
      [
        'sms',
        {
          config: { baseUrl: twilio.baseUrl, accountSid: twilio.accountSid, from: '+15017122661' },
          secrets: { authToken: twilio.authToken },
        },
      ],
      [
        'kakao',
        {
          config: { baseUrl: kakao.baseUrl, appKey: kakao.appKey, senderKey: kakao.senderKey },
          secrets: { secretKey: kakao.secretKey },
        },
      ],
      ['webpush', { config: { subject: 'mailto:ops@keel.test' } }],
    ];
    for (const [channel, body] of setups) {
      const response = await inject('PUT', `/notify/channels/${channel}`, admin, body);
      expect(response.statusCode, `${channel}: ${response.body}`).toBe(200);
      expect(response.body).not.toContain(slack.botToken);
      expect(response.body).not.toContain(twilio.authToken);
      expect(response.body).not.toContain(kakao.secretKey);
    }
    const webhook = await inject('PUT', '/notify/channels/webhook', admin, {});
    expect(webhook.statusCode).toBe(200);
    const secret = webhook.json().generated_secrets.signingSecret as string;
    expect(secret).toMatch(/^whsec_/);
    hooks = await startWebhookReceiver({ secret });

    const listed = await inject('GET', '/notify/channels', admin);
    expect(
      listed
        .json()
        .items.map((c: { channel: string }) => c.channel)
        .sort(),
    ).toEqual(['email', 'kakao', 'slack', 'sms', 'webhook', 'webpush'].sort());
    expect(listed.body).not.toContain(secret);
    expect(listed.json().items.find((c: { channel: string }) => c.channel === 'slack').secrets_set).toEqual([
      'botToken',
    ]);
  });

  it('delivers one notification to a user on all seven channels, each as its provider expects', async () => {
    const user = await h.user();
    await inject('PUT', `/plans/users/${user.id}`, admin, { plan_key: 'basic' });
    for (const [channel, destination] of [
      ['slack', 'U0KEELTEST'],
      ['email', 'kim@example.com'],
      ['sms', '+821012345678'],
      ['kakao', '+821012345678'],
      ['webhook', hooks.url],
    ]) {
      const response = await inject('PUT', `/notify/contacts/${channel}`, user, { destination });
      expect(response.statusCode, `${channel}: ${response.body}`).toBe(204);
    }
    const key = await h.app.inject({ method: 'GET', url: '/notify/push/vapid-public-key' });
    expect(key.statusCode).toBe(200);
    const browser = push.subscribe({ applicationServerKey: key.json().public_key });
    const subscribed = await inject('POST', '/notify/push/subscriptions', user, browser.subscription);
    expect(subscribed.statusCode).toBe(201);

    const template = await inject('POST', '/notify/templates', admin, {
      name: 'notify.test',
      locale: 'ko',
      subject: '{{repo}} 커밋 초안',
      text: '{{repo}}: {{subject}}',
      html: '<p><b>{{repo}}</b>: {{subject}}</p>',
      kakao_template_code: 'KEEL_TEST_01',
    });
    expect(template.statusCode).toBe(201);
    expect(template.json().version).toBe(1);

    const sent = await inject('POST', '/notify/send', admin, {
      to: { user_id: user.id },
      template: 'notify.test',
      data: { repo: 'keel', subject: 'fix(parser): handle <empty> header' },
      channels: ['slack', 'email', 'sms', 'kakao', 'webhook', 'webpush', 'inapp'],
      url: 'https://keel.test/r/abc',
    });
    expect(sent.statusCode).toBe(202);
    const deliveries = await settledDeliveries(sent.json().notification_id);
    expect(deliveries.map((d) => [d.channel, d.state, d.last_error]).sort()).toEqual(
      [
        ['email', 'delivered', null],
        ['inapp', 'delivered', null],
        ['kakao', 'delivered', null],
        ['slack', 'delivered', null],
        ['sms', 'delivered', null],
        ['webhook', 'delivered', null],
        ['webpush', 'delivered', null],
      ].sort(),
    );
    expect(deliveries.find((d) => d.channel === 'email')?.destination).toBe('k***@example.com');

    expect(slack.received.at(-1)).toMatchObject({ via: 'api', channel: 'U0KEELTEST' });
    expect(slack.received.at(-1)?.text).toContain('keel: fix(parser): handle <empty> header');
    const mail = smtp.received.at(-1);
    expect(mail).toMatchObject({ subject: 'keel 커밋 초안', envelopeTo: ['kim@example.com'] });
    expect(mail?.html).toContain('handle &lt;empty&gt; header');
    expect(mail?.text).toContain('handle <empty> header');
    expect(twilio.received.at(-1)).toMatchObject({ to: '+821012345678' });
    expect(twilio.received.at(-1)?.body).toBe(
      'keel: fix(parser): handle <empty> header\nhttps://keel.test/r/abc',
    );
    expect(kakao.received.at(-1)).toMatchObject({
      templateCode: 'KEEL_TEST_01',
      recipientNo: '01012345678',
      templateParameter: { repo: 'keel' },
    });
    expect(hooks.received.at(-1)).toMatchObject({ verified: true });
    expect(JSON.parse(hooks.received.at(-1)?.body ?? '{}')).toMatchObject({
      type: 'notify.test',
      data: { repo: 'keel' },
      url: 'https://keel.test/r/abc',
    });
    expect(push.received.at(-1)?.json).toMatchObject({
      title: 'keel 커밋 초안',
      url: 'https://keel.test/r/abc',
    });

    const inbox = await inject('GET', '/notify/inbox', user);
    expect(inbox.json()).toMatchObject({ unread_count: 1, items: [{ title: 'keel 커밋 초안' }] });
    const read = await inject('POST', '/notify/inbox/read', user, {});
    expect(read.json()).toEqual({ updated: 1 });

    const logs = await inject('GET', `/notify/logs?notification_id=${sent.json().notification_id}`, admin);
    expect(logs.json().items).toHaveLength(7);
    expect(logs.body).not.toContain('kim@example.com');
    expect(logs.body).not.toContain('+821012345678');

    const stats = await inject('GET', `/notify/stats?user_id=${user.id}`, admin);
    expect(stats.json().items).toHaveLength(7);
    expect(stats.json().items.every((s: { delivered: number }) => s.delivered === 1)).toBe(true);
  });

  it('skips what the user opted out of, holds sends in quiet hours, and lets urgent ones through', async () => {
    const user = await h.user();
    const prefs = await inject('PUT', '/notify/preferences', user, {
      preferences: [
        { type: '*', channel: 'webhook', enabled: false },
        { type: 'notify.test', channel: 'webhook', enabled: true },
        { type: 'notify.test', channel: 'inapp', enabled: false },
      ],
      quiet_hours: { start: '00:00', end: '23:59', timezone: 'Asia/Seoul' },
    });
    expect(prefs.statusCode).toBe(204);
    await inject('PUT', '/notify/contacts/webhook', user, { destination: hooks.url });

    const normal = await notify.send({
      to: { userId: user.id },
      template: 'notify.test',
      channels: ['webhook', 'inapp'],
    });
    const byChannel = Object.fromEntries(normal.deliveries.map((d) => [d.channel, d]));
    expect(byChannel.inapp).toMatchObject({
      state: 'skipped',
      lastError: 'the user opted out of notify.test on inapp',
    });
    expect(byChannel.webhook?.state).toBe('pending');
    expect(byChannel.webhook?.lastError).toMatch(/^quiet hours until /);
    expect(byChannel.webhook?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 1000);

    const urgent = await notify.send({
      to: { userId: user.id },
      template: 'notify.test',
      channels: ['webhook'],
      priority: 'urgent',
    });
    const [delivered] = await settledDeliveries(urgent.notificationId);
    expect(delivered?.state).toBe('delivered');

    const skipped = await inject('GET', `/notify/logs?user_id=${user.id}&outcome=skipped`, admin);
    expect(skipped.json().items[0]).toMatchObject({
      channel: 'inapp',
      failure_reason: 'the user opted out of notify.test on inapp',
    });
    const deferred = await inject('GET', `/notify/logs?user_id=${user.id}&outcome=deferred`, admin);
    expect(deferred.json().items).toHaveLength(1);

    const badZone = await inject('PUT', '/notify/preferences', user, {
      preferences: [],
      quiet_hours: { start: '22:00', end: '07:00', timezone: 'Mars/Olympus' },
    });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().errors[0].field).toBe('body.quiet_hours.timezone');
  });

  it("counts Kakao messages against the plan's monthly allowance and skips what is over", async () => {
    const user = await h.user();
    await inject('PUT', '/notify/contacts/kakao', user, { destination: '+821055556666' });
    const onFree = await notify.send({
      to: { userId: user.id },
      template: 'notify.test',
      channels: ['kakao'],
    });
    expect(onFree.deliveries[0]?.state).toBe('skipped');
    expect(onFree.deliveries[0]?.lastError).toMatch(/Kakao allowance is used up/);

    await inject('PUT', `/plans/users/${user.id}`, admin, { plan_key: 'basic' });
    const onBasic = await notify.send({
      to: { userId: user.id },
      template: 'notify.test',
      channels: ['kakao'],
    });
    expect(onBasic.deliveries[0]?.state).toBe('pending');
    const usage = await inject('GET', '/plans/me', user);
    expect(usage.json().usage).toContainEqual(
      expect.objectContaining({ feature: 'kakao', used: 1, limit: 20 }),
    );
  });

  it('refuses bad input with the field and the reason, and stores nothing', async () => {
    const user = await h.user();
    const cases: Array<[unknown, string]> = [
      [{ to: { user_id: user.id }, template: 'no.such.template' }, 'template'],
      [{ to: { email: 'not-an-address' }, template: 'notify.test' }, 'to[0].email'],
      [{ to: { phone: '010-1234' }, template: 'notify.test' }, 'to[0].phone'],
      [{ to: { user_id: '00000000-0000-4000-8000-000000000000' }, template: 'notify.test' }, 'to[0].userId'],
      [{ to: [], template: 'notify.test' }, 'body.to'],
      [{ to: { user_id: user.id }, template: 'notify.test', channels: ['pigeon'] }, 'body.channels.0'],
    ];
    for (const [payload, field] of cases) {
      const response = await inject('POST', '/notify/send', admin, payload);
      expect([400, 404], response.body).toContain(response.statusCode);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(response.json().errors ?? response.json().detail)).toContain(field);
    }
    const logs = await inject('GET', `/notify/logs?user_id=${user.id}`, admin);
    expect(logs.json().items).toEqual([]);

    const forbidden = await inject('POST', '/notify/send', user, {
      to: { user_id: user.id },
      template: 'notify.test',
    });
    expect(forbidden.statusCode).toBe(403);
    const notAdmin = await inject('PUT', '/notify/channels/slack', user, { config: { mode: 'webhook' } });
    expect(notAdmin.statusCode).toBe(403);
  });

  it("lets an org admin set up their own org's channels only, and uses them for the org's sends", async () => {
    const founder = await h.user();
    const created = await inject('POST', '/orgs', founder, { name: 'Hooks Inc' });
    expect(created.statusCode).toBe(201);
    const orgId = created.json().id as string;
    const switched = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: founder.refreshToken, org_id: orgId },
    });
    expect(switched.statusCode).toBe(200);
    const orgAdmin = { ...founder, auth: { authorization: `Bearer ${switched.json().access_token}` } };

    const instance = await inject('PUT', '/notify/channels/webhook', orgAdmin, {});
    expect(instance.statusCode).toBe(403);
    const other = await inject('PUT', `/notify/channels/webhook?org_id=${crypto.randomUUID()}`, orgAdmin, {});
    expect(other.statusCode).toBe(403);
    const own = await inject('PUT', `/notify/channels/webhook?org_id=${orgId}`, orgAdmin, {});
    expect(own.statusCode).toBe(200);
    const orgSecret = own.json().generated_secrets.signingSecret as string;
    expect(orgSecret).not.toBe(hooks.secret);

    const orgReceiver = await startWebhookReceiver({ secret: orgSecret });
    try {
      const sent = await notify.send({ to: { webhook: orgReceiver.url }, template: 'notify.test', orgId });
      const [delivery] = await settledDeliveries(sent.notificationId);
      expect(delivery?.state).toBe('delivered');
      expect(orgReceiver.received.at(-1)?.verified).toBe(true);
    } finally {
      await orgReceiver.close();
    }
    const listed = await inject('GET', `/notify/channels?org_id=${orgId}`, orgAdmin);
    expect(listed.json().items.map((c: { channel: string }) => c.channel)).toEqual(['webhook']);
  });

  it('keeps template versions, previews the current one, and refuses one that does not parse', async () => {
    const v1 = await inject('POST', '/notify/templates', admin, {
      name: 'ops.alert',
      locale: 'en',
      subject: 'Alert: {{rule}}',
      html: '<h1>{{rule}}</h1><p>Value {{value}} &gt; {{threshold}}</p>',
    });
    expect(v1.statusCode).toBe(201);
    const v2 = await inject('POST', '/notify/templates', admin, {
      name: 'ops.alert',
      locale: 'en',
      subject: 'ALERT {{rule}}',
      text: '{{rule}} fired',
    });
    expect(v2.json().version).toBe(2);
    const preview = await inject('POST', '/notify/templates/preview', admin, {
      name: 'ops.alert',
      locale: 'ko',
      data: { rule: 'cpu > 90%' },
    });
    expect(preview.json()).toMatchObject({ version: 2, subject: 'ALERT cpu > 90%', text: 'cpu > 90% fired' });
    const broken = await inject('POST', '/notify/templates', admin, {
      name: 'ops.alert',
      locale: 'en',
      subject: 'x',
      text: '{{#items}} never closed',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0].field).toBe('text');
    const versions = await inject('GET', '/notify/templates?name=ops.alert', admin);
    expect(versions.json().items.map((t: { version: number }) => t.version)).toEqual([2, 1]);
  });

  it('shows system notices inside their display window only, to everyone', async () => {
    const hour = 3_600_000;
    const now = Date.now();
    const create = (body: object) => inject('POST', '/notify/notices', admin, body);
    const live = await create({
      title: '점검 안내',
      content: '오늘 밤 점검이 있습니다',
      notice_type: 'maintenance',
      priority: 'critical',
      display_from: new Date(now - hour).toISOString(),
      display_until: new Date(now + hour).toISOString(),
    });
    expect(live.statusCode).toBe(201);
    await create({
      title: 'Later',
      content: 'x',
      notice_type: 'update',
      display_from: new Date(now + hour).toISOString(),
    });
    await create({ title: 'Off', content: 'x', notice_type: 'notice', is_active: false });
    const bad = await create({
      title: 'Backwards',
      content: 'x',
      notice_type: 'notice',
      display_from: new Date(now + hour).toISOString(),
      display_until: new Date(now).toISOString(),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.display_until');

    const active = await h.app.inject({ method: 'GET', url: '/notify/notices/active' });
    expect(active.statusCode).toBe(200);
    expect(active.json().items.map((n: { title: string }) => n.title)).toEqual(['점검 안내']);
    expect(active.json().items[0].created_by).toBeUndefined();
  });
});
