import { ConfigError } from '../kernel/config/index.js';
import { EmbeddedDatabaseBusyError } from '../kernel/db/index.js';
import { type Command, helpText, parseCommandArgs, UsageError } from './command.js';
import { adminCommand } from './commands/admin.js';
import { commitCommand } from './commands/commit.js';
import { doctorCommand } from './commands/doctor.js';
import { draftCommand } from './commands/draft.js';
import { evalCommand } from './commands/eval.js';
import { hookCommand } from './commands/hook.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { setupCommand } from './commands/setup.js';
import { versionCommand } from './commands/version.js';
import { watchCommand } from './commands/watch.js';

const commands: Command[] = [
  serveCommand,
  migrateCommand,
  doctorCommand,
  keysCommand,
  adminCommand,
  setupCommand,
  draftCommand,
  commitCommand,
  hookCommand,
  watchCommand,
  evalCommand,
  versionCommand,
];

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'keel — the Keel platform: server, workers, scheduler and tools.',
    '',
    'Usage: keel <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `keel <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** Exit codes: 0 ok, 1 a check or operation failed, 2 bad command line or configuration. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') return versionCommand.run({}, []);
  const command = commands.find((c) => c.name === name);
  if (!command)
    throw new UsageError(`unknown command "${name}" (commands: ${commands.map((c) => c.name).join(', ')})`);
  const { values, positionals } = parseCommandArgs(command, rest);
  if (values.help) {
    process.stdout.write(helpText(command));
    return 0;
  }
  return command.run(values, positionals);
}

/** Maps what went wrong to one line on stderr and an exit code. */
function report(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`keel: configuration error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`keel: ${error.message}\nRun \`keel --help\` for usage.\n`);
    return 2;
  }
  if (error instanceof EmbeddedDatabaseBusyError) {
    process.stderr.write(`keel: ${error.message}\n`);
    return 1;
  }
  process.stderr.write(`keel: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}

const code = await main(process.argv.slice(2)).catch(report);
// Exit explicitly: a timer or pool left by a library after a failure must not keep the CLI alive.
process.exit(code);
