import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ChangeSource, draftLocal, isCaptureError } from '../../modules/commits/index.js';
import { type Command, UsageError } from '../command.js';

export const draftCommand: Command = {
  name: 'draft',
  summary: 'Draft a commit message for a change, offline, as JSON.',
  usage:
    'keel draft [--staged | --range A..B | --stdin] [--repo DIR] [--count N] [--language ko|en] [--message-only]',
  help: [
    '  (default)               the working tree: staged and unstaged edits and untracked files',
    '  --staged                what `git commit` would record now',
    '  --range A..B            the change between two commits',
    '  --stdin                 a unified diff read from standard input',
    '  --repo DIR              the repository (default: the current directory)',
    '  --count N               drafts to propose, 1–3 (default 1)',
    '  --language ko|en        the language of the subject (default: that of the history)',
    "  --message-only          print only the first draft's message, for `git commit -F -`",
    '',
    "Prints {type, scope, subject, body, message, provider, drafts, scoping}. The team's voice",
    'comes from the last 100 messages of the repository, rules from its .commitlintrc.json.',
  ].join('\n'),
  options: {
    staged: { type: 'boolean' },
    range: { type: 'string' },
    stdin: { type: 'boolean' },
    repo: { type: 'string' },
    count: { type: 'string', default: '1' },
    language: { type: 'string' },
    'message-only': { type: 'boolean' },
  },
  async run(values, positionals) {
    if (positionals.length > 0) throw new UsageError(`draft: unexpected argument "${positionals[0]}"`);
    const chosen = [values.staged, values.range, values.stdin].filter(Boolean).length;
    if (chosen > 1) throw new UsageError('draft: choose one of --staged, --range and --stdin');
    const count = Number(values.count);
    if (!Number.isInteger(count) || count < 1 || count > 3)
      throw new UsageError('draft: --count must be 1, 2 or 3');
    const language = values.language;
    if (language !== undefined && language !== 'ko' && language !== 'en')
      throw new UsageError('draft: --language must be ko or en');
    let source: ChangeSource = { kind: 'working-tree' };
    if (values.staged) source = { kind: 'staged' };
    if (typeof values.range === 'string') {
      const m = /^([^.\s]+)\.\.([^.\s]+)$/.exec(values.range);
      if (!m?.[1] || !m[2]) throw new UsageError('draft: --range must look like A..B');
      source = { kind: 'range', from: m[1], to: m[2] };
    }
    if (values.stdin) source = { kind: 'diff-text', text: readFileSync(0, 'utf8') };

    let result: Awaited<ReturnType<typeof draftLocal>>;
    try {
      result = await draftLocal({
        repoDir: resolve(typeof values.repo === 'string' ? values.repo : '.'),
        source,
        count,
        ...(language ? { language } : {}),
      });
    } catch (error) {
      if (isCaptureError(error)) {
        process.stderr.write(`keel draft: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const [first] = result.drafts;
    if (!first) {
      process.stderr.write('keel draft: no draft could be written\n');
      return 1;
    }
    if (values['message-only']) {
      process.stdout.write(`${first.message}\n`);
      return 0;
    }
    const s = result.scoping;
    const out = {
      type: first.type,
      scope: first.scope,
      subject: first.subject,
      body: first.body,
      message: first.message,
      provider: first.provider,
      language: result.language,
      drafts: result.drafts.map((d) => ({
        type: d.type,
        scope: d.scope,
        subject: d.subject,
        message: d.message,
        violations: d.violations,
        notes: d.notes,
      })),
      split: result.split,
      scoping: {
        top: s.top.map((e) => ({
          id: e.id,
          kind: e.kind,
          guard_added: e.guardAdded,
          score: Math.round(e.score * 10) / 10,
        })),
        themes: s.themes.map((t) => ({ label: t.label, type: t.type.value, scope: t.scope, share: t.share })),
        related_themes: s.relatedThemes,
        type_candidates: s.typeCandidates.map((c) => ({ value: c.value, confidence: c.confidence })),
        scope_candidates: s.scopeCandidates.map((c) => ({ value: c.value, confidence: c.confidence })),
        skipped: s.skipped,
        truncated: s.truncated,
        changed_lines: s.stats.changedLines,
        prompt_tokens: result.prompt.totalTokens,
        token_budget: result.tokenBudget,
      },
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  },
};
