import { join, resolve } from 'node:path';
import { projectRoot } from '../../kernel/paths.js';
import {
  HOOKS,
  type HookName,
  hookStatus,
  installHooks,
  isCaptureError,
  runHook,
  uninstallHooks,
} from '../../modules/commits/index.js';
import { type Command, UsageError } from '../command.js';

const actions = ['install', 'uninstall', 'status', 'run'] as const;

export const hookCommand: Command = {
  name: 'hook',
  summary: 'Git hooks: drafts in `git commit`, rules checked, commits recorded.',
  usage: 'keel hook install|uninstall|status [--repo DIR]',
  help: [
    '  install                 prepare-commit-msg drafts the message for `git commit` (offline);',
    '                          commit-msg checks it against .commitlintrc.json (block stops the commit,',
    '                          autofix rewrites it); post-commit records the commit on a linked Keel',
    '                          server (git config keel.server / keel.repository, KEEL_TOKEN).',
    '                          A hook already there (husky, another tool) is kept and runs first.',
    '  uninstall               removes them and puts back what was there',
    '  status                  which hooks are installed and what they chain',
    '  --repo DIR              the repository (default: the current directory)',
  ].join('\n'),
  options: { repo: { type: 'string' } },
  async run(values, positionals) {
    const [action, ...rest] = positionals;
    if (!actions.includes(action as (typeof actions)[number]))
      throw new UsageError(`hook: expected one of ${actions.slice(0, 3).join(', ')}`);
    const repoDir = resolve(typeof values.repo === 'string' ? values.repo : '.');
    if (action === 'run') {
      const [hook, ...args] = rest;
      if (!HOOKS.includes(hook as HookName)) throw new UsageError(`hook run: unknown hook "${hook}"`);
      return runHook(hook as HookName, args, {
        cwd: process.cwd(),
        env: process.env,
        say: (line) => process.stderr.write(`${line}\n`),
      });
    }
    if (rest.length > 0) throw new UsageError(`hook ${action}: unexpected argument "${rest[0]}"`);
    try {
      const statuses =
        action === 'install'
          ? await installHooks(repoDir, { node: process.execPath, bin: join(projectRoot, 'bin', 'keel.mjs') })
          : action === 'uninstall'
            ? await uninstallHooks(repoDir)
            : await hookStatus(repoDir);
      for (const s of statuses) {
        const state = s.installed ? 'installed' : 'not installed';
        process.stdout.write(
          `${s.hook.padEnd(20)} ${state}${s.chained ? ' (runs the hook that was there first)' : ''}  ${s.path}\n`,
        );
      }
      return 0;
    } catch (error) {
      if (isCaptureError(error) || error instanceof Error) {
        process.stderr.write(`keel hook: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
