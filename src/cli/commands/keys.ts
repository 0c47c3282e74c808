import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../kernel/config/index.js';
import { loadSecrets, rotateKeys } from '../../kernel/crypto/index.js';
import { openDatabase } from '../../kernel/db/index.js';
import { createJobQueue } from '../../kernel/jobs/index.js';
import { createLog } from '../../kernel/log/index.js';
import { allModules, encryptedColumnsOf, jobDefinitionsOf, moduleContextOf } from '../../modules.js';
import { type Command, UsageError } from '../command.js';

const actions = ['generate', 'rotate', 'status'] as const;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Generate encryption keys, re-encrypt stored secrets under the newest key, show rotations.',
  usage: 'keel keys generate | keel keys rotate [--wait] | keel keys status',
  help: [
    '  generate                print a new key entry to put first in KEEL_SECRET_KEYS',
    '  rotate                  re-wrap every stored ciphertext under the current (first) key:',
    '                          queued for the workers with a PostgreSQL server, run here when embedded',
    '  status                  the current key id and the latest rotations',
    '  --wait                  with rotate on a server: wait until the rotation finishes',
  ].join('\n'),
  options: { wait: { type: 'boolean' } },
  async run(values, positionals) {
    const [action, ...extra] = positionals;
    if (!actions.includes(action as (typeof actions)[number]) || extra.length > 0) {
      throw new UsageError(
        `keys: expected one of ${actions.join(', ')}${action ? ` (got "${[action, ...extra].join(' ')}")` : ''}`,
      );
    }
    if (action === 'generate') {
      const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}${randomBytes(2).toString('hex')}`;
      process.stdout.write(`${id}:${randomBytes(32).toString('base64')}\n`);
      process.stderr.write(
        'Put this entry first in KEEL_SECRET_KEYS (keep the old keys after it), then run `keel keys rotate`.\n',
      );
      return 0;
    }

    const config = loadConfig();
    const log = createLog({ svc: 'keel-keys', level: config.logLevel === 'info' ? 'warn' : config.logLevel });
    const secrets = loadSecrets(config, log);
    const db = await openDatabase(config.database, { log });
    try {
      if (action === 'status') {
        const rows = await db.query<{
          id: string;
          target_key_id: string;
          status: string;
          rows_rewrapped: number;
          started_at: Date;
          error: string | null;
        }>(
          'select id, target_key_id, status, rows_rewrapped, started_at, error from kernel.key_rotations order by started_at desc limit 10',
        );
        process.stdout.write(
          `current key: ${secrets.ring.current.id} (ring: ${secrets.ring.keys.map((k) => k.id).join(', ')})\n`,
        );
        if (rows.length === 0) process.stdout.write('no rotations yet\n');
        for (const r of rows) {
          process.stdout.write(
            `${r.started_at.toISOString()}  ${r.id}  → ${r.target_key_id}  ${r.status}  ${r.rows_rewrapped} re-wrapped${r.error ? `  (${r.error})` : ''}\n`,
          );
        }
        return 0;
      }

      const columns = encryptedColumnsOf(allModules);
      if (config.database.kind === 'embedded') {
        // One process owns the embedded database, so "in the background" means here and now.
        const result = await rotateKeys({ db, ring: secrets.ring, columns, log });
        process.stdout.write(
          `rotation ${result.rotationId}: ${result.status}, ${result.rowsRewrapped} value(s) re-wrapped under ${result.targetKeyId}${result.rowsFailed ? `, ${result.rowsFailed} failed` : ''}\n`,
        );
        return result.status === 'completed' ? 0 : 1;
      }

      const context = moduleContextOf(allModules, { config, db, log, secrets });
      const jobs = createJobQueue({ db, log, definitions: jobDefinitionsOf(allModules, context) });
      await jobs.start({ work: false });
      const id = await jobs.send(
        'kernel.keys.rotate',
        {},
        { singletonKey: `rotate:${secrets.ring.current.id}` },
      );
      await jobs.stop();
      if (!id) {
        process.stdout.write(`a rotation to ${secrets.ring.current.id} is already queued or running\n`);
        return 0;
      }
      process.stdout.write(
        `rotation queued as job ${id}; workers re-wrap in the background (keel keys status)\n`,
      );
      if (!values.wait) return 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 1_000));
        const [row] = await db.query<{ status: string; rows_rewrapped: number; error: string | null }>(
          'select status, rows_rewrapped, error from kernel.key_rotations where id = $1',
          [id],
        );
        if (row && row.status !== 'running') {
          process.stdout.write(
            `rotation ${row.status}: ${row.rows_rewrapped} value(s) re-wrapped${row.error ? ` (${row.error})` : ''}\n`,
          );
          return row.status === 'completed' ? 0 : 1;
        }
      }
    } finally {
      await db.close();
    }
  },
};
