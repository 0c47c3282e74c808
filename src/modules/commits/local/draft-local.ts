import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitText } from '../capture/git.js';
import { type CaptureOptions, type ChangeSource, collectChange } from '../capture/index.js';
import type { Generate } from '../drafting/draft.js';
import { offlineGenerate } from '../drafting/offline-generate.js';
import { draftChange, type PipelineResult } from '../drafting/pipeline.js';
import { fromCommitlintConfig, type RuleEntry } from '../rules/index.js';
import { type Convention, conventionFromProfile, learnStyle, type StyleProfile } from '../style/index.js';

export interface LocalDraftOptions {
  repoDir: string;
  source: ChangeSource;
  count?: number;
  language?: 'ko' | 'en' | null;
  /** Default: the convention the repository's history shows. */
  convention?: Convention;
  /** Default: Keel's offline provider in this process. */
  generate?: Generate;
  /** How many recent messages the team's voice is learned from (default 100; 0: none). */
  history?: number;
  /** Learn the voice from the messages before this revision (default HEAD; the evaluation uses a commit's parent). */
  historyRef?: string;
  capture?: CaptureOptions;
}

export interface LocalDraft extends PipelineResult {
  profile: StyleProfile;
  convention: Convention;
  rules: RuleEntry[];
  /** Rules of the repository's commitlint config that Keel could not translate. */
  untranslatedRules: Array<{ rule: string; reason: string }>;
}

/** `.commitlintrc.json` / `.commitlintrc` (JSON) at the root, if any. */
export async function commitlintRules(
  root: string,
): Promise<{ rules: RuleEntry[]; untranslated: LocalDraft['untranslatedRules'] }> {
  for (const name of ['.commitlintrc.json', '.commitlintrc']) {
    let text: string;
    try {
      text = await readFile(join(root, name), 'utf8');
    } catch {
      continue;
    }
    try {
      const translated = fromCommitlintConfig(JSON.parse(text));
      return { rules: translated.rules, untranslated: translated.untranslated };
    } catch (error) {
      return { rules: [], untranslated: [{ rule: name, reason: `not read: ${(error as Error).message}` }] };
    }
  }
  return { rules: [], untranslated: [] };
}

/** The repository's recent messages, newest first (none on a branch without commits). */
async function recentMessages(root: string, limit: number, ref = 'HEAD'): Promise<string[]> {
  if (limit <= 0) return [];
  try {
    const out = await gitText(['log', `-n${limit}`, '--no-merges', '--format=%B%x00', ref, '--'], {
      cwd: root,
      timeoutMs: 10_000,
      keepGitEnv: [],
    });
    return out
      .split('\0')
      .map((m) => m.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Drafts for a change in a local repository with no server: capture, the team's voice from the
 * repository's own history, its commitlint rules, then the same pipeline the server runs.
 */
export async function draftLocal(options: LocalDraftOptions): Promise<LocalDraft> {
  const change = await collectChange(options.repoDir, options.source, options.capture);
  const root = change.repo.root;
  const profile = learnStyle(await recentMessages(root, options.history ?? 100, options.historyRef));
  const convention = options.convention ?? conventionFromProfile(profile);
  const { rules, untranslated } = await commitlintRules(root);
  const result = await draftChange(change, {
    generate: options.generate ?? offlineGenerate(),
    profile,
    convention,
    rules,
    language: options.language ?? null,
    count: options.count ?? 1,
    branch: change.repo.branch,
  });
  return { ...result, profile, convention, rules, untranslatedRules: untranslated };
}
