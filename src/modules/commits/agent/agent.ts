import { execFile } from 'node:child_process';
import { watch as watchFiles } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitEnv } from '../capture/git.js';
import { type Change, collectChange } from '../capture/index.js';
import { unifiedDiffOf } from '../drafting/unified-diff.js';

/**
 * `keel watch`: the local agent of seed 001's flow. It notices the end of an editing session
 * (no file change for `idleMs` while the working tree has changes), asks the Keel server for
 * drafts (the server sends the review link to the phone), and when a draft it asked for is
 * approved, commits exactly the files of that change with the approved message and pushes,
 * reporting each step back. It never commits what was not approved: HEAD must not have moved
 * and only the request's paths are staged; a failed push leaves the commit and the working
 * tree as they are and is reported with git's reason.
 */

export interface AgentOptions {
  repoDir: string;
  /** The Keel server, e.g. `https://keel.example`. */
  server: string;
  /** An API key (or access token) with `commits.write`. */
  token: string;
  repositoryId: string;
  /** Push after committing (default true). */
  push?: boolean;
  /** Remote to push to (default: the branch's upstream, else `origin`). */
  remote?: string;
  say?: (line: string) => void;
  fetch?: typeof fetch;
  /** Attempts of each call to the server before giving up for this round (default 3). */
  retries?: number;
  retryDelayMs?: number;
}

interface Pending {
  headSha: string | null;
  /** Paths to stage: every changed file, and the old path of a rename. */
  paths: string[];
  reviewUrl: string | null;
  /** Set once committed here; the sha is reported again until the server has it. */
  commitSha?: string;
  /** The outcome the server has not been told yet (a network loss). */
  unreported?: {
    status: 'committed' | 'pushed' | 'push_failed';
    commit_sha: string | null;
    error: string | null;
  };
}

interface AgentState {
  requests: Record<string, Pending>;
}

export interface DraftRequested {
  requestId: string;
  reviewUrl: string | null;
  message: string;
}

export type Applied =
  | { requestId: string; status: 'pushed' | 'committed'; commitSha: string }
  | { requestId: string; status: 'push_failed'; commitSha: string | null; error: string };

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function git(args: string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: gitEnv(), encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** git's own words for a failure: its error and hint lines, without the progress chatter. */
function reasonOf(result: GitResult): string {
  const lines = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(To |Enumerating|Counting|Writing|Total|remote: *$)/.test(l));
  return lines.slice(0, 6).join('\n') || `git exited with ${result.code}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createAgent(options: AgentOptions) {
  const say = options.say ?? (() => {});
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const base = options.server.replace(/\/$/, '');
  const statePath = async () => {
    const dir = (await git(['rev-parse', '--git-dir'], options.repoDir)).stdout.trim();
    return join(options.repoDir, dir, 'keel-agent.json');
  };

  async function loadState(): Promise<AgentState> {
    try {
      return JSON.parse(await readFile(await statePath(), 'utf8')) as AgentState;
    } catch {
      return { requests: {} };
    }
  }

  async function saveState(state: AgentState): Promise<void> {
    const path = await statePath();
    await writeFile(`${path}.tmp`, JSON.stringify(state, null, 2));
    await rename(`${path}.tmp`, path);
  }

  /** One call to the server, retried on network errors and 5xx; 4xx answers are final. */
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let last: unknown;
    for (let attempt = 1; attempt <= retries; attempt++) {
      try {
        const res = await doFetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        if (res.ok) return (text ? JSON.parse(text) : null) as T;
        const problem = (() => {
          try {
            return JSON.parse(text) as { detail?: string };
          } catch {
            return {};
          }
        })();
        const error = new Error(problem.detail ?? `HTTP ${res.status}`);
        if (res.status < 500) throw Object.assign(error, { final: true });
        last = error;
      } catch (error) {
        if ((error as { final?: boolean }).final) throw error;
        last = error;
      }
      if (attempt < retries) await sleep(retryDelayMs * 2 ** (attempt - 1));
    }
    throw new Error(`the Keel server did not answer (${(last as Error)?.message ?? last})`);
  }

  async function report(requestId: string, outcome: NonNullable<Pending['unreported']>, state: AgentState) {
    const pending = state.requests[requestId];
    try {
      await call('POST', `/commits/requests/${requestId}/report`, outcome);
      if (pending) delete pending.unreported;
      if (outcome.status !== 'committed') delete state.requests[requestId];
    } catch (error) {
      // Kept: the next round tells the server again.
      if (pending) pending.unreported = outcome;
      say(
        `keel watch: could not report ${outcome.status} for ${requestId.slice(0, 8)}: ${(error as Error).message}`,
      );
    }
    await saveState(state);
  }

  return {
    /** Captures the working tree and asks the server for drafts; null when nothing changed. */
    async requestDraft(): Promise<DraftRequested | null> {
      let change: Change;
      try {
        change = await collectChange(options.repoDir, { kind: 'working-tree' });
      } catch (error) {
        if ((error as { code?: string }).code === 'empty') return null;
        throw error;
      }
      const contents = Object.fromEntries(
        change.files
          .filter((f) => f.oldText !== undefined || f.newText !== undefined)
          .map((f) => [f.path, { old: f.oldText ?? null, new: f.newText ?? null }]),
      );
      const detail = await call<{
        id: string;
        drafts: Array<{ message: string }>;
        review?: { url: string } | null;
      }>('POST', '/commits/requests', {
        repository_id: options.repositoryId,
        diff: unifiedDiffOf(change),
        contents,
        trigger: 'watch',
        branch: change.repo.branch,
        head_sha: change.repo.head,
      });
      const paths = new Set<string>();
      for (const f of [...change.files, ...change.skipped]) {
        paths.add(f.path);
        if (f.oldPath) paths.add(f.oldPath);
      }
      const state = await loadState();
      state.requests[detail.id] = {
        headSha: change.repo.head,
        paths: [...paths],
        reviewUrl: detail.review?.url ?? null,
      };
      await saveState(state);
      const message = detail.drafts[0]?.message ?? '';
      say(
        `keel watch: draft ready — ${message.split('\n')[0]}${detail.review ? `\n  review: ${detail.review.url}` : ''}`,
      );
      return { requestId: detail.id, reviewUrl: detail.review?.url ?? null, message };
    },

    /** Commits and pushes the approved drafts this agent asked for. */
    async applyApproved(): Promise<Applied[]> {
      const state = await loadState();
      // Reports a network loss kept from an earlier round.
      for (const [id, pending] of Object.entries(state.requests))
        if (pending.unreported) await report(id, pending.unreported, state);
      const ours = new Set(Object.keys(state.requests));
      if (ours.size === 0) return [];
      const approved = await call<{ items: Array<{ id: string; message: string }> }>(
        'GET',
        `/commits/repositories/${options.repositoryId}/approved`,
      );
      const out: Applied[] = [];
      for (const item of approved.items) {
        const pending = state.requests[item.id];
        if (!pending || pending.commitSha) continue;
        const failed = async (error: string) => {
          say(`keel watch: not committed — ${error}`);
          out.push({ requestId: item.id, status: 'push_failed', commitSha: null, error });
          await report(item.id, { status: 'push_failed', commit_sha: null, error }, state);
        };
        const head =
          (await git(['rev-parse', '--verify', '-q', 'HEAD'], options.repoDir)).stdout.trim() || null;
        if (head !== pending.headSha) {
          await failed('HEAD moved since the draft was made; request a new draft (nothing was committed)');
          continue;
        }
        const staged = await git(['add', '-A', '--', ...pending.paths], options.repoDir);
        if (staged.code !== 0) {
          await failed(reasonOf(staged));
          continue;
        }
        const committed = await git(['commit', '-q', '-F', '-'], options.repoDir, `${item.message.trim()}\n`);
        if (committed.code !== 0) {
          await failed(reasonOf(committed));
          continue;
        }
        const sha = (await git(['rev-parse', 'HEAD'], options.repoDir)).stdout.trim();
        pending.commitSha = sha;
        await saveState(state);
        say(`keel watch: committed ${sha.slice(0, 8)} ${item.message.split('\n')[0]}`);
        if (options.push === false) {
          out.push({ requestId: item.id, status: 'committed', commitSha: sha });
          await report(item.id, { status: 'committed', commit_sha: sha, error: null }, state);
          delete state.requests[item.id];
          await saveState(state);
          continue;
        }
        await report(item.id, { status: 'committed', commit_sha: sha, error: null }, state);
        const pushed = await git(['push', options.remote ?? 'origin', 'HEAD'], options.repoDir);
        if (pushed.code === 0) {
          say(`keel watch: pushed ${sha.slice(0, 8)}`);
          out.push({ requestId: item.id, status: 'pushed', commitSha: sha });
          await report(item.id, { status: 'pushed', commit_sha: sha, error: null }, state);
        } else {
          const error = reasonOf(pushed);
          say(`keel watch: the push was refused; the commit stays here:\n${error}`);
          out.push({ requestId: item.id, status: 'push_failed', commitSha: sha, error });
          await report(item.id, { status: 'push_failed', commit_sha: sha, error }, state);
        }
      }
      return out;
    },

    /**
     * Runs until `signal` aborts: drafts after `idleMs` without a file change (when the working
     * tree differs from HEAD), and applies approvals every `pollMs`.
     */
    async watch(watchOptions: { idleMs: number; pollMs: number; signal: AbortSignal }): Promise<void> {
      let lastChange = 0;
      let drafted = true;
      const watcher = watchFiles(options.repoDir, { recursive: true }, (_event, file) => {
        if (file && (file === '.git' || file.startsWith(`.git/`) || file.startsWith('.git\\'))) return;
        lastChange = Date.now();
        drafted = false;
      });
      let lastPoll = 0;
      try {
        while (!watchOptions.signal.aborted) {
          if (!drafted && Date.now() - lastChange >= watchOptions.idleMs) {
            drafted = true;
            await this.requestDraft().catch((error: Error) => say(`keel watch: no draft: ${error.message}`));
          }
          if (Date.now() - lastPoll >= watchOptions.pollMs) {
            lastPoll = Date.now();
            await this.applyApproved().catch((error: Error) => say(`keel watch: ${error.message}`));
          }
          await sleep(Math.min(250, watchOptions.idleMs / 4));
        }
      } finally {
        watcher.close();
      }
    },
  };
}

export type Agent = ReturnType<typeof createAgent>;
