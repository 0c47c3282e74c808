import { analyzeFile, type Declaration, type FileFacts } from './commit-analysis.js';
import { applyConvention, type CommitConvention, defaultConvention } from './commit-convention.js';
import { decideType, focusOf, inferScope, sum, type TypeDecision, weight } from './commit-rules.js';
import { parseDiff } from './diff.js';

export { type CommitConvention, defaultConvention, parseConvention } from './commit-convention.js';

/**
 * Drafts a Conventional Commits message from a unified diff by rules: the type from what kind
 * of files changed and how, the scope from the dominant folder, the subject from the
 * declarations, tests and files that changed, a body with one bullet per file, and a
 * `BREAKING CHANGE:` footer when an exported declaration disappears. See README.md for the rules.
 */

export interface CommitDraft {
  type: string;
  scope: string | null;
  subject: string;
  /** One bullet per changed file, wrapped at 72 columns ('' for an empty diff). */
  body: string;
  breaking: boolean;
  /** The text of the `BREAKING CHANGE:` footer, without the token. */
  breakingNote: string | null;
  /** Header, body and footer, ready for `git commit -F`. */
  message: string;
  /** The rule that chose the type (e.g. `only-tests`, `new-exports`). */
  rule: string;
  /** What the rules inferred before the convention was applied. */
  inferred: { type: string; scope: string | null };
  /** Convention rules that could not be applied, or changed the draft. */
  notes: string[];
  /** Set when the convention asks for a language: the rules write English and say so. */
  languageRule: { requested: string; applied: false } | null;
}

/** `passwords.service.ts` → `passwords service`; `index.ts` → its folder. */
function areaOf(path: string): string {
  const segments = path.split('/');
  const file = segments.pop() ?? path;
  let stem = file
    .replace(/^\./, '')
    .replace(/\.(test|spec)(?=\.)/, '')
    .replace(/\.[^.]+$/, '');
  if (/^(index|mod|main|__init__|init)$/i.test(stem) && segments.length > 0) stem = segments.at(-1) ?? stem;
  return stem.replace(/[._-]+/g, ' ').trim() || file;
}

/** `docs/identity.md` → `identity docs`; `src/shared/identity/README.md` → `identity README`. */
function docName(path: string): string {
  const segments = path.split('/');
  const file = segments.pop() ?? path;
  const stem = file.replace(/\.[^.]+$/, '');
  if (/^readme$/i.test(stem)) return segments.length > 0 ? `${segments.at(-1)} README` : 'README';
  return /^docs?$/i.test(segments.at(-1) ?? '') || segments.length === 0
    ? `${stem} docs`
    : `${segments.at(-1)} ${stem}`;
}

function listNames(names: string[], max = 3): string {
  const unique = [...new Set(names)];
  if (unique.length <= 1) return unique[0] ?? '';
  if (unique.length <= max) return `${unique.slice(0, -1).join(', ')} and ${unique.at(-1)}`;
  return `${unique.slice(0, max - 1).join(', ')} and ${unique.length - (max - 1)} more`;
}

/** The first `k` names (the most changed come first), without an "and N more" tail. */
function topNames(names: string[], k: number): string {
  return listNames([...new Set(names)].slice(0, k), k);
}

function dominant(files: FileFacts[]): FileFacts | undefined {
  return [...files].sort((a, b) => weight(b) - weight(a))[0];
}

function areaOfFiles(files: FileFacts[], scope: string | null): string {
  const top = dominant(files);
  if (!top) return scope ?? 'the project';
  if (files.length === 1 || weight(top) / sum(files, weight) >= 0.6) return areaOf(top.file.path);
  return scope ?? `${files.length} files`;
}

/** The names a subject should mention: exported before local, functions and classes before types and constants. */
function names(declarations: Declaration[]): string[] {
  const exported = declarations.filter((d) => d.exported);
  const pool = exported.length > 0 ? exported : declarations;
  const callable = pool.filter((d) => d.kind === 'function' || d.kind === 'class' || d.kind === 'method');
  return (callable.length > 0 ? callable : pool).map((d) => d.name);
}

function depsSubject(facts: FileFacts[]): string {
  const deps = facts.flatMap((f) => f.dependencies);
  if (deps.length === 0) return 'refresh the lock file';
  if (deps.length === 1) {
    const [d] = deps;
    if (d?.from && d.to) return `bump ${d.name} from ${d.from} to ${d.to}`;
    if (d?.to) return `add ${d.name} ${d.to}`;
    return `remove ${d?.name}`;
  }
  const bumped = deps.filter((d) => d.from && d.to);
  if (bumped.length === deps.length) return `bump ${listNames(deps.map((d) => d.name))}`;
  return `update dependencies ${listNames(deps.map((d) => d.name))}`;
}

function subjectFor(decision: TypeDecision, facts: FileFacts[], scope: string | null): string[] {
  const rest = facts.filter((f) => f.kind !== 'lockfile');
  const logic = rest.filter(
    (f) => (f.kind === 'source' || f.kind === 'other' || f.kind === 'build') && !f.commentOnly,
  );
  const tests = rest.filter((f) => f.kind === 'test');
  const area = areaOfFiles(logic.length > 0 ? logic : rest, scope);
  // When one file names the area, its declarations are the ones the subject speaks of.
  const top = dominant(logic);
  const focus = top && area === areaOf(top.file.path) ? [top] : logic;
  const added = focus.flatMap((f) => f.addedDeclarations);
  const removed = focus.flatMap((f) => f.removedDeclarations);
  const changed = focus.flatMap((f) => f.changedDeclarations);
  // Candidate subjects, most specific first; the first that fits the length limit wins.
  switch (decision.rule) {
    case 'dependency-manifest':
    case 'dev-dependencies':
    case 'lockfile-only':
      return [depsSubject(facts), 'update dependencies'];
    case 'ci-files':
    case 'build-files':
    case 'tooling-config':
      return [
        `update ${listNames(rest.map((f) => f.file.path))}`,
        `update ${listNames(rest.map((f) => areaOf(f.file.path)))}`,
      ];
    case 'only-docs':
    case 'mostly-docs': {
      const docs = rest.filter((f) => f.kind === 'docs');
      const created = docs.filter((f) => f.file.status === 'added');
      const headings = docs.flatMap((f) =>
        f.file.added.map((l) => /^#{1,3}\s+(.+?)\s*#*$/.exec(l)?.[1]).filter((h): h is string => Boolean(h)),
      );
      const what = (files: FileFacts[]) => listNames(files.map((f) => docName(f.file.path)));
      const others = docs.filter((f) => f.file.status !== 'added');
      if (created.length > 0)
        return [
          others.length > 0 ? `add ${what(created)}; update ${what(others)}` : `add ${what(created)}`,
          `add ${what(created)}`,
          `add ${created.length} documents`,
        ];
      if (headings.length > 0 && headings.length <= 3)
        return [`document ${listNames(headings.map((h) => h.toLowerCase()))}`, `update ${what(docs)}`];
      return [`update ${what(docs)}`, 'update docs'];
    }
    case 'comments-only': {
      const commented = rest.filter((f) => f.commentOnly);
      const decls = commented.flatMap((f) => f.changedDeclarations);
      return [
        decls.length > 0
          ? `document ${listNames(decls)} in ${area}`
          : `update comments in ${areaOfFiles(commented, scope)}`,
        `update comments in ${areaOfFiles(commented, scope)}`,
      ];
    }
    case 'only-tests':
    case 'mostly-tests': {
      const titles = tests.flatMap((f) => f.addedTests);
      const testArea = areaOfFiles(tests, scope);
      const created = tests.filter((f) => f.file.status === 'added' && !/\.(test|spec)\./.test(f.file.path));
      if (titles.length === 1) return [`add test: ${titles[0]}`, `add a test to ${testArea}`];
      if (titles.length > 1)
        return [`add ${titles.length} tests to ${testArea}`, `add ${titles.length} tests`];
      if (tests.some((f) => f.removedTests.length > 0))
        return [`remove tests from ${testArea}`, 'remove tests'];
      if (created.length > 0)
        return [
          `share test helpers in ${listNames(created.map((f) => areaOf(f.file.path)))}`,
          'share test helpers',
        ];
      return [`update ${testArea} tests`, 'update tests'];
    }
    case 'formatting-only':
      return [`format ${area}`, 'format code'];
    case 'moves-only': {
      const moved = rest.filter((f) => f.file.status === 'renamed');
      const [only] = moved;
      if (moved.length === 1 && only?.file.oldPath && only.file.newPath)
        return [
          `move ${only.file.oldPath} to ${only.file.newPath}`,
          `move ${areaOf(only.file.oldPath)} to ${only.file.newPath}`,
        ];
      return [
        `move ${listNames(moved.map((f) => areaOf(f.file.oldPath ?? f.file.path)))}`,
        `move ${moved.length} files`,
      ];
    }
    case 'exports-removed': {
      const gone = logic.flatMap((f) => f.exportsWithdrawn);
      return [`remove ${listNames(gone)} from ${area}`, `remove ${listNames(gone, 2)}`];
    }
    case 'new-exports':
    case 'new-file': {
      const created = logic.filter((f) => f.file.status === 'added');
      const newNames = names(added);
      if (created.length > 0 && created.length === logic.length) {
        const createdArea = areaOfFiles(created, scope);
        return [
          `add ${createdArea} with ${listNames(newNames)}`,
          `add ${createdArea} with ${topNames(newNames, 2)}`,
          `add ${createdArea} with ${topNames(newNames, 1)}`,
          `add ${createdArea}`,
        ];
      }
      return [
        `add ${listNames(newNames)} to ${area}`,
        `add ${topNames(newNames, 2)} to ${area}`,
        `add ${topNames(newNames, 1)} to ${area}`,
        `add ${topNames(newNames, 1)}`,
      ];
    }
    case 'extraction':
    case 'moved-declarations': {
      const moved = names(added);
      const target = logic.find((f) => f.addedDeclarations.some((d) => d.exported));
      const into = target ? areaOf(target.file.path) : area;
      const verb = decision.rule === 'extraction' ? 'extract' : 'move';
      const to = decision.rule === 'extraction' ? 'into' : 'to';
      return [
        `${verb} ${listNames(moved)} ${to} ${into}`,
        `${verb} ${topNames(moved, 2)} ${to} ${into}`,
        `${verb} ${topNames(moved, 1)} ${to} ${into}`,
        `${verb} ${topNames(moved, 1)}`,
        `${verb} code ${to} ${into}`,
      ];
    }
    case 'duplicates-removed':
      return [`remove duplicated lines in ${area}`, 'remove duplicated lines'];
    case 'performance-wording':
      return withDeclarations('optimize', changed, area);
    case 'error-handling':
      return changed.length > 0
        ? [
            `fix error handling in ${topNames(changed, 2)}`,
            `fix error handling in ${topNames(changed, 1)}`,
            `fix error handling in ${area}`,
          ]
        : [`fix error handling in ${area}`];
    case 'small-change':
      return withDeclarations('fix', changed, area);
    case 'added-behaviour':
    case 'large-addition':
      return changed.length === 0 && added.length > 0
        ? [`add ${topNames(names(added), 2)} to ${area}`, `extend ${area}`]
        : withDeclarations('extend', changed, area);
    case 'net-deletion':
      return removed.length > 0
        ? [`remove ${topNames(names(removed), 2)} from ${area}`, `simplify ${area}`]
        : withDeclarations('simplify', changed, area);
    default:
      return withDeclarations('rework', changed, area);
  }
}

/** `verb a and b in area`, then shorter forms; the declarations come most-changed first. */
function withDeclarations(verb: string, changed: string[], area: string): string[] {
  if (changed.length === 0) return [`${verb} ${area}`];
  return [
    `${verb} ${topNames(changed, 2)} in ${area}`,
    `${verb} ${topNames(changed, 2)}`,
    `${verb} ${topNames(changed, 1)} in ${area}`,
    `${verb} ${topNames(changed, 1)}`,
    `${verb} ${area}`,
  ];
}

/** Cuts at a word boundary so the text fits in `max` characters. */
function fitWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : text.slice(0, max)).replace(/[\s,:;-]+$/, '');
}

/** Wraps a bullet at `width` columns with a two-space hanging indent. */
export function wrapBullet(text: string, width = 72): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '-';
  for (const word of words) {
    if (line.length + 1 + word.length > width && line.trim() !== '-') {
      lines.push(line);
      line = `  ${word}`;
    } else line = `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

function wrap(text: string, width = 72): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function bulletFor(f: FileFacts): string {
  const parts: string[] = [];
  const { file } = f;
  if (file.status === 'added') parts.push('new file');
  if (file.status === 'deleted') parts.push('deleted');
  if (file.status === 'renamed') parts.push(`moved from ${file.oldPath}`);
  if (file.binary) parts.push('binary');
  if (f.dependencies.length > 0)
    parts.push(
      f.dependencies
        .map((d) =>
          d.from && d.to
            ? `${d.name} ${d.from} → ${d.to}`
            : d.to
              ? `add ${d.name} ${d.to}`
              : `remove ${d.name}`,
        )
        .join(', '),
    );
  const addedNames = f.addedDeclarations.map((d) => d.name);
  if (addedNames.length > 0) parts.push(`add ${listNames(addedNames, 4)}`);
  if (f.removedDeclarations.length > 0)
    parts.push(
      `remove ${listNames(
        f.removedDeclarations.map((d) => d.name),
        4,
      )}`,
    );
  const changed = f.changedDeclarations.filter((n) => !addedNames.includes(n));
  if (changed.length > 0) parts.push(`change ${listNames(changed, 4)}`);
  if (f.addedTests.length > 0)
    parts.push(`${f.addedTests.length} new test${f.addedTests.length > 1 ? 's' : ''}`);
  if (f.removedTests.length > 0)
    parts.push(`${f.removedTests.length} test${f.removedTests.length > 1 ? 's' : ''} removed`);
  if (f.formattingOnly) parts.push('formatting only');
  else if (f.commentOnly) parts.push('comments only');
  else if (f.importsOnly) parts.push('imports only');
  if (f.addedCount === 0 && f.duplicateRemovals > 0 && f.duplicateRemovals * 2 >= f.removedCount)
    parts.push(`${f.duplicateRemovals} duplicated line${f.duplicateRemovals > 1 ? 's' : ''} removed`);
  parts.push(`+${f.addedCount}/-${f.removedCount}`);
  return wrapBullet(`${file.path}: ${parts.join('; ')}`);
}

function bodyFor(facts: FileFacts[]): string {
  const ordered = [...facts].sort((a, b) => weight(b) - weight(a));
  const shown = ordered.slice(0, 10).map(bulletFor);
  if (ordered.length > 10) shown.push(`- and ${ordered.length - 10} more files`);
  return shown.join('\n');
}

/** Drafts a commit message for `diff` under `convention` (see `parseConvention`). */
export function draftCommitMessage(
  diff: string,
  convention: CommitConvention = defaultConvention,
): CommitDraft {
  const facts = parseDiff(diff).map(analyzeFile);
  const notes: string[] = [];
  const languageRule = convention.language
    ? { requested: convention.language, applied: false as const }
    : null;
  if (languageRule)
    notes.push(
      `the subject could not be written in ${languageRule.requested}: the offline rules write English only`,
    );
  if (facts.length === 0) {
    const subject = 'describe the change (no diff found)';
    return {
      type: 'chore',
      scope: null,
      subject,
      body: '',
      breaking: false,
      breakingNote: null,
      message: `chore: ${subject}`,
      rule: 'no-diff',
      inferred: { type: 'chore', scope: null },
      notes: [...notes, 'no unified diff was found in the input'],
      languageRule,
    };
  }
  const decision = decideType(facts);
  const inferred = {
    type: decision.type,
    scope: decision.scope ?? inferScope(facts, focusOf(decision.type)),
  };
  const { type, scope } = applyConvention(inferred, facts, convention, notes);
  const header = `${type}${scope ? `(${scope})` : ''}: `;
  const max = Math.min(convention.maxSubjectLength, 72 - header.length);
  const candidates = subjectFor(decision, facts, scope ?? inferred.scope).map((s) =>
    s.replace(/\s+/g, ' ').trim(),
  );
  const subject = fitWithin(
    candidates.find((s) => s.length <= max) ?? candidates.at(-1) ?? 'update code',
    max,
  );
  const withdrawn = facts
    .filter((f) => f.kind === 'source' || f.kind === 'other')
    .flatMap((f) => f.exportsWithdrawn.map((name) => ({ name, path: f.file.path })))
    // Exported again elsewhere in the same change: moved, not removed.
    .filter(({ name }) => !facts.some((f) => f.addedDeclarations.some((d) => d.name === name && d.exported)));
  const breakingNote =
    withdrawn.length > 0
      ? `${listNames(
          withdrawn.map((w) => w.name),
          5,
        )} ${withdrawn.length > 1 ? 'are' : 'is'} no longer exported from ${listNames(
          [...new Set(withdrawn.map((w) => w.path))],
          3,
        )}.`
      : null;
  const body = bodyFor(facts);
  const message = [
    `${header}${subject}`,
    body,
    breakingNote ? wrap(`BREAKING CHANGE: ${breakingNote}`) : null,
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n\n');
  return {
    type,
    scope,
    subject,
    body,
    breaking: breakingNote !== null,
    breakingNote,
    message,
    rule: decision.rule,
    inferred,
    notes,
    languageRule,
  };
}
