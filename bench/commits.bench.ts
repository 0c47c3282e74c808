import { randomBytes } from 'node:crypto';
import { parseConfig } from '../src/kernel/config/index.js';
import { createKeyRing, hmacKeyFrom } from '../src/kernel/crypto/index.js';
import { migrate, openPglite, readMigrations } from '../src/kernel/db/index.js';
import { createLog } from '../src/kernel/log/index.js';
import { projectRoot } from '../src/kernel/paths.js';
import { collectChange } from '../src/modules/commits/capture/index.js';
import { createTestRepo, type TestRepo } from '../src/modules/commits/capture/test-repo.js';
import { unifiedDiffOf } from '../src/modules/commits/drafting/unified-diff.js';
import { commitsServices, draftLocal, evalCommits } from '../src/modules/commits/index.js';
import { allModules, migrationSources, moduleContextOf } from '../src/modules.js';
import { bootstrapAdmin } from '../src/shared/identity/index.js';
import { notifyServices } from '../src/shared/notify/index.js';
import { readPlans } from '../src/shared/plans/catalog/catalog.repository.js';
import { makeCatalog } from '../src/shared/plans/catalog/catalog.store.js';
import { createSubscriptions } from '../src/shared/plans/subscriptions/subscriptions.service.js';
import { syntheticChange } from './scoping.bench.js';
import { type BenchResult, median, percentile } from './support.js';

const ROUNDS = 15;
const WARM_UP = 3;

/**
 * Capture → draft on the 2 000-changed-line, 40-file synthetic change of the scoping benchmark:
 * - local (`keel draft`): capture from git, scoping, prompt, offline draft, style, convention, rules;
 * - server (`POST /commits/requests` without HTTP): the same from the diff and file contents,
 *   through the LLM gateway (routing, metering) with the offline provider, stored in PGlite, the
 *   review link minted and the notification queued;
 * - draft stored → notification sent: the in-app delivery's first attempt, dispatcher running.
 */
export async function commitsBench(): Promise<BenchResult> {
  const change = syntheticChange(40, 2000);
  const repo: TestRepo = createTestRepo('keel-commits-bench-');
  for (const f of change.files) repo.write(f.path, f.before);
  repo.commit('feat: before');
  for (const f of change.files) repo.write(f.path, f.after);

  const db = await openPglite(null);
  try {
    // Local: what `keel draft` does, in this process.
    const local: number[] = [];
    let lines = 0;
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      const started = performance.now();
      const result = await draftLocal({ repoDir: repo.dir, source: { kind: 'working-tree' }, history: 0 });
      if (round >= WARM_UP) local.push(performance.now() - started);
      lines = result.scoping.stats.changedLines;
    }

    // Server: the service behind POST /commits/requests on embedded PGlite.
    await migrate(db, readMigrations(migrationSources(allModules)));
    const context = moduleContextOf(allModules, {
      config: parseConfig({ DATABASE_URL: 'memory://' }),
      db,
      log: createLog({ svc: 'bench', level: 'silent' }),
      secrets: {
        ring: createKeyRing([{ id: 'b1', key: randomBytes(32) }]),
        hmacKey: hmacKeyFrom(randomBytes(32)),
        source: 'env',
      },
    });
    const { userId } = await bootstrapAdmin(context, [], {
      username: 'bench',
      password: 'bench-password-123',
      update: false,
    });
    const catalog = makeCatalog(await readPlans(db), 'database');
    await createSubscriptions({ db, catalog: () => catalog, now: () => new Date() }).setUserPlan(
      userId,
      'premium',
    );
    const commits = commitsServices(context);
    const notify = notifyServices(context);
    notify.worker.start();
    const caller = { userId, orgId: null, orgAdmin: false };
    const { repository } = await commits.repositories.create(caller, { name: 'bench' });
    const captured = await collectChange(repo.dir, { kind: 'working-tree' });
    const diff = unifiedDiffOf(captured);
    const contents = Object.fromEntries(
      captured.files.map((f) => [f.path, { old: f.oldText ?? null, new: f.newText ?? null }]),
    );

    const server: number[] = [];
    const notified: number[] = [];
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      const started = performance.now();
      const detail = await commits.requests.create(caller, {
        repositoryId: repository.id,
        diff,
        contents,
        trigger: 'cli',
        count: 1,
      });
      if (round >= WARM_UP) server.push(performance.now() - started);
      const notificationId = detail.review?.notificationId;
      if (!notificationId) throw new Error('the review notification was not queued');
      let sentAt: Date | null = null;
      while (!sentAt) {
        const [row] = await db.query<{ sentAt: Date }>(
          'select sent_at as "sentAt" from notify.notification_delivery_logs where notification_id = $1 order by id limit 1',
          [notificationId],
        );
        if (row) sentAt = row.sentAt;
        else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // Both times from the database's clock: the request row's insert, the attempt's start.
      if (round >= WARM_UP) notified.push(sentAt.getTime() - new Date(detail.request.createdAt).getTime());
    }
    await notify.worker.stop({ graceMs: 2_000 });

    // Quality: `keel eval commits` on Keel's own history (Conventional Commits throughout).
    const quality = await evalCommits({ repoDir: projectRoot, limit: 100 });

    const localP95 = percentile(local, 95);
    const serverP95 = percentile(server, 95);
    const notifyP95 = percentile(notified, 95);
    return {
      name: 'Commits',
      method: `The scoping benchmark's deterministic change (${change.files.length} files, ${lines} changed lines; TypeScript, Python, Go), ${ROUNDS} runs after ${WARM_UP} warm-up runs. Local: \`draftLocal\` (what \`keel draft\` runs: git capture, tree-sitter scoping, prompt within 6 000 tokens, offline draft, style, convention, rules). Server: \`requests.create\` (what POST /commits/requests runs) from the unified diff and both versions of every file, on embedded PGlite: scoping, the LLM gateway with the offline provider (routing, metering), storing request, scoping, prompt, hunks and drafts, minting the review link and queuing the notification. Notification: from the request row being stored (its created_at) to the first delivery attempt of the in-app notification (delivery log), dispatcher at default settings. Quality: \`keel eval commits --limit 100\` on this repository (each commit drafted from its diff alone, the voice learned from the commits before it). A public repository's history cannot be fetched here (the network reaches only the npm registry).`,
      rows: [
        {
          measure: 'capture → draft ready, local (keel draft) p95',
          value: `${localP95.toFixed(0)} ms (p50 ${median(local).toFixed(0)} ms)`,
          target: '< 2000 ms',
          pass: localP95 < 2000,
        },
        {
          measure: 'diff → drafts stored, server p95',
          value: `${serverP95.toFixed(0)} ms (p50 ${median(server).toFixed(0)} ms)`,
          target: '< 2000 ms',
          pass: serverP95 < 2000,
        },
        {
          measure: `offline type accuracy, Keel's last ${quality.commits} commits`,
          value: `${quality.type_accuracy.toFixed(3)} (scope ${quality.scope_accuracy.toFixed(3)}, subject ROUGE-L ${quality.subject_similarity.toFixed(3)})`,
          target: '≥ 0.60',
          pass: quality.type_accuracy >= 0.6,
        },
        {
          measure: 'draft ready → notification sent p95',
          value: `${notifyP95.toFixed(0)} ms (p50 ${median(notified).toFixed(0)} ms)`,
          target: '< 2000 ms',
          pass: notifyP95 < 2000,
        },
      ],
    };
  } finally {
    repo.cleanup();
    await db.close();
  }
}
