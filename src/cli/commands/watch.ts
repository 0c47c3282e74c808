import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createAgent } from '../../modules/commits/index.js';
import { type Command, UsageError } from '../command.js';

function gitConfig(repo: string, key: string): string | undefined {
  try {
    return (
      execFileSync('git', ['config', '--get', key], { cwd: repo, encoding: 'utf8', stdio: 'pipe' }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

export const watchCommand: Command = {
  name: 'watch',
  summary: 'The local agent: drafts when you stop editing, commits and pushes what you approve.',
  usage: 'keel watch [--repo DIR] [--server URL] [--repository ID] [--idle SECONDS] [--no-push] [--once]',
  help: [
    '  --repo DIR              the repository (default: the current directory)',
    '  --server URL            the Keel server (default: git config keel.server)',
    '  --repository ID         the repository registered on it (default: git config keel.repository)',
    '  --idle SECONDS          quiet time that ends an editing session (default 30)',
    '  --poll SECONDS          how often approvals are checked (default 5)',
    '  --no-push               commit only',
    '  --once                  draft now if anything changed, apply approvals once, and exit',
    '',
    'KEEL_TOKEN must hold an API key with commits.write. The review link of each draft is sent to',
    'you (Slack, e-mail, Web Push, Kakao, in-app) and printed here.',
  ].join('\n'),
  options: {
    repo: { type: 'string' },
    server: { type: 'string' },
    repository: { type: 'string' },
    idle: { type: 'string', default: '30' },
    poll: { type: 'string', default: '5' },
    'no-push': { type: 'boolean' },
    once: { type: 'boolean' },
  },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(`watch: unexpected argument "${positionals[0]}"`);
    const repo = resolve(typeof values.repo === 'string' ? values.repo : '.');
    const server = (values.server as string | undefined) ?? gitConfig(repo, 'keel.server');
    const repositoryId = (values.repository as string | undefined) ?? gitConfig(repo, 'keel.repository');
    const token = process.env.KEEL_TOKEN;
    if (!server) throw new UsageError('watch: --server URL (or git config keel.server) is required');
    if (!repositoryId || !/^[0-9a-f-]{36}$/i.test(repositoryId))
      throw new UsageError('watch: --repository ID (or git config keel.repository) must be a repository id');
    if (!token) throw new UsageError('watch: set KEEL_TOKEN to an API key with commits.write');
    const idle = Number(values.idle);
    const poll = Number(values.poll);
    if (!(idle >= 1) || !(poll >= 1))
      throw new UsageError('watch: --idle and --poll are seconds, at least 1');
    const agent = createAgent({
      repoDir: repo,
      server,
      token,
      repositoryId,
      push: !values['no-push'],
      say: (line) => process.stderr.write(`${line}\n`),
    });
    if (values.once) {
      await agent.requestDraft();
      const applied = await agent.applyApproved();
      return applied.some((a) => a.status === 'push_failed') ? 1 : 0;
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.stderr.write(
      `keel watch: watching ${repo} (drafts after ${idle} s without edits; Ctrl-C stops)\n`,
    );
    await agent.watch({ idleMs: idle * 1000, pollMs: poll * 1000, signal: controller.signal });
    return 0;
  },
};
