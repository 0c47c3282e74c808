import { gitText } from '../capture/git.js';
import { isCaptureError } from '../capture/index.js';
import { parseCommitMessage } from '../rules/index.js';
import { draftLocal } from './draft-local.js';

export interface CommitCase {
  sha: string;
  actual: { type: string | null; scope: string | null; subject: string };
  drafted: { type: string; scope: string | null; subject: string; provider: string } | null;
  /** Why no draft was made (a binary-only change, an empty diff after ignores…). */
  skipped?: string;
  ms: number;
}

export interface CommitsEvalReport {
  repo: string;
  /** Commits drafted (non-merge, non-bot, with a parent). */
  commits: number;
  /** Of those, messages written as Conventional Commits (the ones type and scope are judged on). */
  conventional: number;
  provider: string;
  type_accuracy: number;
  scope_accuracy: number;
  /** ROUGE-L F1 of the subjects' words, over every drafted commit. */
  subject_similarity: number;
  /** Milliseconds per draft, capture included. */
  latency_ms: { p50: number; p95: number };
  /** The commonest wrong types, `actual → drafted`. */
  confusions: Array<{ actual: string; drafted: string; count: number }>;
  cases: CommitCase[];
}

const BOT = /\[bot\]|dependabot|renovate|github-actions|greenkeeper|snyk-bot/i;

/** Words of a subject for ROUGE-L: lower case, punctuation dropped, identifiers kept whole. */
export function subjectWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_.#-]+/u)
    .map((w) => w.replace(/^[.#-]+|[.#-]+$/g, ''))
    .filter(Boolean);
}

/** ROUGE-L F1 (Lin 2004): the longest common subsequence of words against both lengths. */
export function rougeL(candidate: readonly string[], reference: readonly string[]): number {
  if (candidate.length === 0 || reference.length === 0) return 0;
  let previous = new Array<number>(reference.length + 1).fill(0);
  for (const word of candidate) {
    const row = new Array<number>(reference.length + 1).fill(0);
    for (let j = 1; j <= reference.length; j++)
      row[j] =
        word === reference[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, row[j - 1] ?? 0);
    previous = row;
  }
  const lcs = previous[reference.length] ?? 0;
  if (lcs === 0) return 0;
  const precision = lcs / candidate.length;
  const recall = lcs / reference.length;
  return (2 * precision * recall) / (precision + recall);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * `keel eval commits` (DESIGN.md §7): for each of the last `limit` non-merge, non-bot commits
 * with a parent, draft a message from its diff alone (the team's voice learned from the messages
 * before it, never from itself or later ones) and compare with the message that was written.
 */
export async function evalCommits(options: {
  repoDir: string;
  limit: number;
  progress?: (line: string) => void;
}): Promise<CommitsEvalReport> {
  const git = { cwd: options.repoDir, timeoutMs: 30_000, keepGitEnv: [] };
  const root = (await gitText(['rev-parse', '--show-toplevel'], git)).trim();
  const log = await gitText(
    ['log', `-n${options.limit * 3 + 20}`, '--no-merges', '--format=%H%x1f%P%x1f%an <%ae>%x1f%B%x00'],
    { ...git, cwd: root },
  );
  const commits = log
    .split('\0')
    .map((entry) => entry.replace(/^\n+/, ''))
    .filter(Boolean)
    .map((entry) => {
      const [sha = '', parents = '', author = '', message = ''] = entry.split('\x1f');
      return { sha, parents: parents.split(' ').filter(Boolean), author, message: message.trim() };
    })
    .filter((c) => c.parents.length === 1 && !BOT.test(c.author) && c.message !== '')
    .slice(0, options.limit);

  const cases: CommitCase[] = [];
  for (const [i, commit] of commits.entries()) {
    const parsed = parseCommitMessage(commit.message);
    const actual = { type: parsed.type, scope: parsed.scope, subject: parsed.subject ?? parsed.header };
    const started = performance.now();
    try {
      const result = await draftLocal({
        repoDir: root,
        source: { kind: 'range', from: `${commit.sha}^`, to: commit.sha },
        historyRef: `${commit.sha}^`,
      });
      const first = result.drafts[0];
      cases.push({
        sha: commit.sha,
        actual,
        drafted: first
          ? { type: first.type, scope: first.scope, subject: first.subject, provider: first.provider }
          : null,
        ms: performance.now() - started,
      });
    } catch (error) {
      if (!isCaptureError(error)) throw error;
      cases.push({
        sha: commit.sha,
        actual,
        drafted: null,
        skipped: error.message,
        ms: performance.now() - started,
      });
    }
    options.progress?.(
      `${i + 1}/${commits.length} ${commit.sha.slice(0, 8)} ${cases.at(-1)?.drafted?.type ?? 'skipped'}`,
    );
  }

  const drafted = cases.filter((c) => c.drafted);
  const conventional = drafted.filter((c) => c.actual.type !== null);
  const typeHits = conventional.filter((c) => c.drafted?.type === c.actual.type?.toLowerCase()).length;
  const scopeHits = conventional.filter(
    (c) => (c.drafted?.scope ?? null)?.toLowerCase() === (c.actual.scope ?? null)?.toLowerCase(),
  ).length;
  const similarity =
    drafted.reduce(
      (sum, c) => sum + rougeL(subjectWords(c.drafted?.subject ?? ''), subjectWords(c.actual.subject)),
      0,
    ) / Math.max(1, drafted.length);
  const confusions = new Map<string, number>();
  for (const c of conventional) {
    const a = c.actual.type?.toLowerCase() ?? '';
    const d = c.drafted?.type ?? '';
    if (a !== d) confusions.set(`${a}\u0000${d}`, (confusions.get(`${a}\u0000${d}`) ?? 0) + 1);
  }
  const ms = cases.map((c) => c.ms).sort((a, b) => a - b);
  return {
    repo: root,
    commits: drafted.length,
    conventional: conventional.length,
    provider: drafted[0]?.drafted?.provider ?? 'keel-offline',
    type_accuracy: round(typeHits / Math.max(1, conventional.length)),
    scope_accuracy: round(scopeHits / Math.max(1, conventional.length)),
    subject_similarity: round(similarity),
    latency_ms: { p50: Math.round(percentile(ms, 50)), p95: Math.round(percentile(ms, 95)) },
    confusions: [...confusions.entries()]
      .map(([key, count]) => {
        const [actual = '', draftedType = ''] = key.split('\u0000');
        return { actual, drafted: draftedType, count };
      })
      .sort((a, b) => b.count - a.count || a.actual.localeCompare(b.actual))
      .slice(0, 8),
    cases,
  };
}

export function formatCommitsReport(r: CommitsEvalReport): string {
  const lines = [
    `keel eval commits — ${r.repo}`,
    '',
    `commits drafted        ${r.commits} (${r.conventional} written as Conventional Commits)`,
    `provider               ${r.provider}`,
    `type accuracy          ${r.type_accuracy.toFixed(3)}`,
    `scope accuracy         ${r.scope_accuracy.toFixed(3)}`,
    `subject similarity     ${r.subject_similarity.toFixed(3)} (ROUGE-L F1)`,
    `latency per draft      p50 ${r.latency_ms.p50} ms, p95 ${r.latency_ms.p95} ms`,
  ];
  if (r.confusions.length > 0) {
    lines.push('', 'commonest misses (written → drafted):');
    for (const c of r.confusions) lines.push(`  ${c.actual.padEnd(10)} → ${c.drafted.padEnd(10)} ${c.count}`);
  }
  return `${lines.join('\n')}\n`;
}
