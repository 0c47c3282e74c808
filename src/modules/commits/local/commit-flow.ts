import { execFile } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { gitEnv } from '../capture/git.js';
import { draftLocal, type LocalDraft } from './draft-local.js';

export interface CommitFlowOptions {
  repoDir: string;
  input: Readable;
  output: Writable;
  /** Opens the message in the user's editor and returns what they saved. */
  edit(message: string): Promise<string>;
  count?: number;
  language?: 'ko' | 'en';
}

export interface CommitFlowResult {
  /** The new commit, or null when the user quit (nothing was committed). */
  sha: string | null;
  message: string | null;
}

function commit(repoDir: string, message: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      ['commit', '-q', '-F', '-'],
      { cwd: repoDir, env: gitEnv(), encoding: 'utf8' },
      (error, _out, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
    child.stdin?.end(`${message.trim()}\n`);
  });
}

function show(out: Writable, result: LocalDraft, chosen: number, message: string): void {
  const s = result.scoping;
  const top = s.top
    .slice(0, 3)
    .map((e) => e.element.qualifiedName)
    .join(', ');
  out.write(
    `\n${s.files.length} files, ${s.stats.changedLines} changed lines${top ? ` — ${top}` : ''}${s.relatedThemes ? '' : '\n(these changes look unrelated: consider committing them separately)'}\n\n`,
  );
  result.drafts.forEach((d, i) => {
    out.write(`${i === chosen ? '>' : ' '} ${i + 1}. ${d.message.split('\n')[0]}\n`);
  });
  out.write(
    `\n${message
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`,
  );
  const draft = result.drafts[chosen];
  for (const v of draft?.violations ?? [])
    out.write(`  ${v.level === 'block' ? '✗' : '!'} ${v.rule}: ${v.message}\n`);
}

/**
 * `keel commit`: the staged change → drafts → choose, edit, approve or quit → `git commit`
 * (the repository's hooks run as for any commit). Nothing is committed unless approved.
 */
export async function runCommitFlow(options: CommitFlowOptions): Promise<CommitFlowResult> {
  const out = options.output;
  const result = await draftLocal({
    repoDir: options.repoDir,
    source: { kind: 'staged' },
    count: options.count ?? 3,
    ...(options.language ? { language: options.language } : {}),
  });
  if (result.drafts.length === 0) throw new Error('no draft could be written for this change');
  let chosen = 0;
  let message = result.drafts[0]?.message ?? '';
  const rl = createInterface({ input: options.input, terminal: false });
  // Lines are read through the iterator: answers typed (or piped) ahead are not lost.
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string) => {
    out.write(prompt);
    const next = await lines.next();
    return next.done ? null : next.value;
  };
  try {
    for (;;) {
      show(out, result, chosen, message);
      const numbers = result.drafts.length > 1 ? `1-${result.drafts.length} choose, ` : '';
      // End of input (Ctrl-D, a closed pipe) quits: nothing is committed without an answer.
      const answer = ((await ask(`\n${numbers}e edit, a approve and commit, q quit: `)) ?? 'q')
        .trim()
        .toLowerCase();
      const n = Number(answer);
      if (Number.isInteger(n) && n >= 1 && n <= result.drafts.length) {
        chosen = n - 1;
        message = result.drafts[chosen]?.message ?? message;
      } else if (answer === 'e') {
        message = (await options.edit(message)).trim() || message;
      } else if (answer === 'a') {
        const done = await commit(options.repoDir, message);
        if (done.code !== 0) {
          out.write(`\ngit commit failed; your message is kept:\n${done.stderr.trim()}\n`);
          continue;
        }
        const sha = await new Promise<string>((resolve) =>
          execFile(
            'git',
            ['rev-parse', 'HEAD'],
            { cwd: options.repoDir, env: gitEnv(), encoding: 'utf8' },
            (_e, stdout) => resolve(stdout.trim()),
          ),
        );
        out.write(`\ncommitted ${sha.slice(0, 8)} ${message.split('\n')[0]}\n`);
        return { sha, message };
      } else if (answer === 'q') {
        out.write('\nnothing committed\n');
        return { sha: null, message: null };
      } else if (answer !== '') {
        out.write(`\n"${answer}" is not a choice\n`);
      }
    }
  } finally {
    rl.close();
  }
}
