import { loadConfig } from '../../kernel/config/index.js';
import { type Role, roles, startKeel } from '../../server.js';
import { type Command, UsageError } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run Keel: HTTP API, job workers and the scheduler (or one of them).',
  usage: 'keel serve [--role api|worker|scheduler|all] [--port N] [--host H]',
  help: [
    '  --role ROLE             api, worker, scheduler or all (default all)',
    '  --port N                listen on port N (overrides PORT)',
    '  --host H                listen on host H (overrides HOST)',
  ].join('\n'),
  options: {
    role: { type: 'string', default: 'all' },
    port: { type: 'string' },
    host: { type: 'string' },
  },
  async run(values) {
    const role = values.role as string;
    if (!roles.includes(role as Role))
      throw new UsageError(`serve: --role must be one of ${roles.join(', ')} (got "${role}")`);
    const env = { ...process.env };
    if (typeof values.port === 'string') env.PORT = values.port;
    if (typeof values.host === 'string') env.HOST = values.host;
    const config = loadConfig(env);
    if (config.database.kind === 'embedded' && role !== 'all') {
      throw new UsageError(
        `serve: --role ${role} needs a PostgreSQL server DATABASE_URL; the embedded database runs in one process (--role all)`,
      );
    }
    const keel = await startKeel({ config, role: role as Role });
    const where =
      config.database.kind === 'embedded' ? (config.database.dataDir ?? 'memory') : 'PostgreSQL server';
    keel.log.info(
      { url: keel.url, role, database: where },
      keel.url ? `Keel is listening on ${keel.url}` : `Keel ${role} started`,
    );

    await new Promise<void>((resolve) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          keel.log.warn({ signal }, 'second signal: exiting without waiting');
          process.exit(1);
        }
        keel.log.info({ signal }, 'shutting down: draining requests and handing running jobs back');
        keel.stop().then(resolve, (error) => {
          keel.log.error({ err: error }, 'shutdown failed');
          resolve();
        });
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    keel.log.info('stopped');
    return 0;
  },
};
