import { loadConfig } from '../../kernel/config/index.js';
import { readMigrations } from '../../kernel/db/index.js';
import { type Check, runDoctor } from '../../kernel/doctor/index.js';
import { createLog } from '../../kernel/log/index.js';
import { allModules, migrationSources } from '../../modules.js';
import type { Command } from '../command.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Check Node, configuration, secret keys, database, migrations, extensions and Redis.',
  usage: 'keel doctor [--json]',
  help: '  --json                  print the checks as JSON',
  options: { json: { type: 'boolean' } },
  async run(values) {
    const config = loadConfig();
    const log = createLog({ svc: 'keel-doctor', level: 'error' });
    const checks = await runDoctor({ config, migrations: readMigrations(migrationSources(allModules)), log });
    process.stdout.write(values.json ? `${JSON.stringify({ checks }, null, 2)}\n` : formatTable(checks));
    return checks.some((c) => c.status === 'fail') ? 1 : 0;
  },
};

const marks = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export function formatTable(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const rows = checks.map((c) => `${marks[c.status]}  ${c.name.padEnd(width)}  ${c.detail}`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  return `${rows.join('\n')}\n\n${failed === 0 ? 'healthy' : `${failed} check(s) failed`}${warned ? `, ${warned} warning(s)` : ''}\n`;
}
