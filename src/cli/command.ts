import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Thrown for a bad command line: printed as one line plus a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines listing each option, shown by --help. */
  help: string;
  options: Options;
  /** Returns the process exit code. */
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

/** Parses `argv` strictly: unknown flags and missing values are usage errors, never ignored. */
export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify .*$/s, '');
    throw new UsageError(`${command.name}: ${message}`);
  }
}

export function helpText(command: Command): string {
  return `${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${command.help}\n  -h, --help              show this help\n`;
}
