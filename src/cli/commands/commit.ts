import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isCaptureError, runCommitFlow } from '../../modules/commits/index.js';
import { type Command, UsageError } from '../command.js';

/** The editor git would open: GIT_EDITOR, core.editor, VISUAL, EDITOR, then vi. */
function editorOf(repo: string): string {
  try {
    return (
      execFileSync('git', ['var', 'GIT_EDITOR'], { cwd: repo, encoding: 'utf8', stdio: 'pipe' }).trim() ||
      'vi'
    );
  } catch {
    return process.env.VISUAL ?? process.env.EDITOR ?? 'vi';
  }
}

export const commitCommand: Command = {
  name: 'commit',
  summary: 'Draft, edit and approve a commit message for the staged change, then commit.',
  usage: 'keel commit [--repo DIR] [--count N] [--language ko|en]',
  help: [
    '  --repo DIR              the repository (default: the current directory)',
    '  --count N               drafts to choose from, 1–3 (default 3)',
    '  --language ko|en        the language of the subject (default: that of the history)',
    '',
    'Shows the drafts of the staged change (`git add` first); choose one by number, e to edit it in',
    'your editor, a to commit it (your hooks run as usual), q to quit without committing.',
  ].join('\n'),
  options: {
    repo: { type: 'string' },
    count: { type: 'string', default: '3' },
    language: { type: 'string' },
  },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(`commit: unexpected argument "${positionals[0]}"`);
    const count = Number(values.count);
    if (!Number.isInteger(count) || count < 1 || count > 3)
      throw new UsageError('commit: --count must be 1, 2 or 3');
    const language = values.language;
    if (language !== undefined && language !== 'ko' && language !== 'en')
      throw new UsageError('commit: --language must be ko or en');
    const repo = resolve(typeof values.repo === 'string' ? values.repo : '.');
    try {
      const result = await runCommitFlow({
        repoDir: repo,
        input: process.stdin,
        output: process.stdout,
        count,
        ...(language ? { language } : {}),
        async edit(message) {
          const dir = mkdtempSync(join(tmpdir(), 'keel-commit-'));
          const file = join(dir, 'COMMIT_EDITMSG');
          try {
            writeFileSync(file, `${message}\n`);
            spawnSync('sh', ['-c', `${editorOf(repo)} "$1"`, 'editor', file], { stdio: 'inherit' });
            return readFileSync(file, 'utf8')
              .split('\n')
              .filter((line) => !line.startsWith('#'))
              .join('\n');
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      });
      return result.sha ? 0 : 1;
    } catch (error) {
      if (isCaptureError(error)) {
        process.stderr.write(
          `keel commit: ${error.code === 'empty' ? 'nothing is staged: `git add` the change first' : error.message}\n`,
        );
        return 1;
      }
      throw error;
    }
  },
};
