import { readFile, writeFile } from 'node:fs/promises';
import { gitText } from '../capture/git.js';
import { commitlintRules, draftLocal } from '../local/draft-local.js';
import { evaluateRules } from '../rules/index.js';
import type { HookName } from './install.js';

export interface HookIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** One line for the person committing (stderr). */
  say(line: string): void;
  fetch?: typeof fetch;
}

/** Sources for which git (or the user) already wrote the message: Keel leaves it alone. */
const GIVEN = new Set(['message', 'template', 'merge', 'squash', 'commit']);

const meaningful = (text: string) =>
  text.split('\n').some((line) => line.trim() !== '' && !line.startsWith('#'));

/**
 * What each hook does; the exit code is the hook's. prepare-commit-msg and post-commit never stop
 * a commit (a failure is one line on stderr); commit-msg stops one only for a `block` rule.
 */
export async function runHook(hook: HookName, args: string[], io: HookIo): Promise<number> {
  switch (hook) {
    case 'prepare-commit-msg':
      return prepareCommitMsg(args, io);
    case 'commit-msg':
      return commitMsg(args, io);
    case 'post-commit':
      return postCommit(io);
  }
}

async function prepareCommitMsg([file, source]: string[], io: HookIo): Promise<number> {
  if (!file || (source && GIVEN.has(source))) return 0;
  try {
    const current = await readFile(file, 'utf8');
    if (meaningful(current)) return 0;
    const result = await draftLocal({
      repoDir: io.cwd,
      source: { kind: 'staged' },
      // `git commit -a` stages into a temporary index that git names in GIT_INDEX_FILE.
      capture: { keepGitEnv: ['GIT_INDEX_FILE'] },
    });
    const draft = result.drafts[0];
    if (!draft) return 0;
    const notes = draft.violations.length
      ? `\n# keel: ${draft.violations.map((v) => `${v.rule}: ${v.message}`).join('\n# keel: ')}`
      : '';
    await writeFile(file, `${draft.message}\n${notes}\n${current}`);
  } catch (error) {
    io.say(`keel: no draft (${(error as Error).message.split('\n')[0]}); write the message yourself`);
  }
  return 0;
}

async function commitMsg([file]: string[], io: HookIo): Promise<number> {
  if (!file) return 0;
  const root = (await gitText(['rev-parse', '--show-toplevel'], { cwd: io.cwd, timeoutMs: 10_000 })).trim();
  const { rules, untranslated } = await commitlintRules(root);
  for (const u of untranslated) io.say(`keel: rule ${u.rule} not applied: ${u.reason}`);
  if (rules.length === 0) return 0;
  const message = await readFile(file, 'utf8');
  const evaluation = evaluateRules(message, rules);
  if (evaluation.ignored) return 0;
  if (evaluation.fixedMessage) {
    await writeFile(file, evaluation.fixedMessage);
    for (const change of evaluation.changes)
      io.say(`keel: ${change.rule}: "${change.before}" → "${change.after}"`);
  }
  for (const v of evaluation.violations.filter((x) => !x.fixed && x.level === 'warn'))
    io.say(`keel: warning (${v.rule}): ${v.message}`);
  const blocking = evaluation.violations.filter((v) => !v.fixed && v.level === 'block');
  for (const v of blocking) io.say(`keel: ${v.rule}: ${v.message}`);
  if (blocking.length > 0) {
    io.say('keel: commit stopped; your message is kept in .git/COMMIT_EDITMSG');
    return 1;
  }
  return 0;
}

/**
 * Records the commit on the Keel server (the team's voice is learned from what was committed)
 * when the repository is linked: `git config keel.server <url>`, `git config keel.repository
 * <id>` and KEEL_TOKEN (an API key) in the environment. Otherwise nothing to do.
 */
async function postCommit(io: HookIo): Promise<number> {
  const git = { cwd: io.cwd, timeoutMs: 10_000 };
  const config = async (key: string) =>
    (await gitText(['config', '--get', key], { ...git, okCodes: [1] })).trim();
  try {
    const [server, repository] = await Promise.all([config('keel.server'), config('keel.repository')]);
    const token = io.env.KEEL_TOKEN;
    if (!server || !repository || !token) return 0;
    const [sha = '', at = '', ...message] = (await gitText(['log', '-1', '--format=%H%n%cI%n%B'], git)).split(
      '\n',
    );
    const res = await (io.fetch ?? fetch)(
      `${server.replace(/\/$/, '')}/commits/repositories/${repository}/history`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          origin: 'hook',
          commits: [{ sha, message: message.join('\n').trim(), committed_at: at }],
        }),
        signal: AbortSignal.timeout(3_000),
      },
    );
    if (!res.ok) io.say(`keel: the commit was not recorded on ${server} (HTTP ${res.status})`);
  } catch (error) {
    io.say(`keel: the commit was not recorded (${(error as Error).message})`);
  }
  return 0;
}
