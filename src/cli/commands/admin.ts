import { loadConfig } from '../../kernel/config/index.js';
import { loadSecrets } from '../../kernel/crypto/index.js';
import { migrate, openDatabase, readMigrations } from '../../kernel/db/index.js';
import { createLog } from '../../kernel/log/index.js';
import { declaredActions } from '../../kernel/module/index.js';
import { allModules, migrationSources, moduleContextOf } from '../../modules.js';
import { bootstrapAdmin } from '../../shared/identity/index.js';
import { type Command, UsageError } from '../command.js';

const MIN_PASSWORD = 12;

export const adminCommand: Command = {
  name: 'admin',
  summary: 'Create the first administrator (password read from stdin).',
  usage: 'echo "$PASSWORD" | keel admin create --username NAME [--email ADDRESS] [--update]',
  help: [
    "  --username NAME         the admin's sign-in name (3-64 letters, digits, . _ -)",
    '  --email ADDRESS         optional email address',
    '  --update                if NAME exists: reset its password and grant it the admin role',
  ].join('\n'),
  options: {
    username: { type: 'string' },
    email: { type: 'string' },
    update: { type: 'boolean' },
  },
  async run(values, positionals) {
    if (positionals[0] !== 'create' || positionals.length !== 1)
      throw new UsageError('admin: expected the subcommand "create"');
    const username = values.username;
    if (typeof username !== 'string' || !/^[A-Za-z0-9_.-]{3,64}$/.test(username))
      throw new UsageError('admin: --username must be 3-64 letters, digits, dots, dashes or underscores');
    if (process.stdin.isTTY)
      throw new UsageError(
        'admin: pipe the password on stdin (it is never a flag: flags end up in shell history)',
      );
    const password = (await readStdin()).replace(/\r?\n$/, '');
    if (password.length < MIN_PASSWORD) {
      process.stderr.write(`keel: the password needs at least ${MIN_PASSWORD} characters\n`);
      return 2;
    }
    const config = loadConfig();
    const log = createLog({
      svc: 'keel-admin',
      level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    });
    const secrets = loadSecrets(config, log);
    const db = await openDatabase(config.database, { log });
    try {
      await migrate(db, readMigrations(migrationSources(allModules)), log);
      const ctx = moduleContextOf(allModules, { config, db, log, secrets });
      const { userId, created } = await bootstrapAdmin(ctx, declaredActions(allModules), {
        username,
        email: typeof values.email === 'string' ? values.email : undefined,
        password,
        update: values.update === true,
      });
      process.stdout.write(`${created ? 'created' : 'updated'} admin ${username} (${userId})\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`keel: ${(error as Error).message}\n`);
      return 1;
    } finally {
      await db.close();
    }
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
