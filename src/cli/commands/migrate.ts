import { loadConfig } from '../../kernel/config/index.js';
import { describeOffExtension, migrate, openDatabase, readMigrations } from '../../kernel/db/index.js';
import { createLog } from '../../kernel/log/index.js';
import { allModules, migrationSources } from '../../modules.js';
import type { Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (safe to run from several processes at once).',
  usage: 'keel migrate',
  help: '',
  options: {},
  async run() {
    const config = loadConfig();
    const log = createLog({
      svc: 'keel-migrate',
      level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    });
    const db = await openDatabase(config.database, { log });
    try {
      const { applied, extensions } = await migrate(db, readMigrations(migrationSources(allModules)), log);
      for (const m of applied) process.stdout.write(`applied ${m.module}/${m.tag}\n`);
      process.stdout.write(
        applied.length === 0 ? 'database is current\n' : `${applied.length} migration(s) applied\n`,
      );
      for (const ext of extensions.filter((e) => e.version === null)) {
        process.stdout.write(`off: ${describeOffExtension(ext)}\n`);
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
