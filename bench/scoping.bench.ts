import { execFileSync } from 'node:child_process';
import { buildPrompt, scopeChange } from '../src/modules/commits/analysis/index.js';
import { type Change, collectChange } from '../src/modules/commits/capture/index.js';
import { createTestRepo, type TestRepo } from '../src/modules/commits/capture/test-repo.js';
import { analyzeFile } from '../src/shared/llm/index.js';
import { type BenchResult, median, percentile } from './support.js';

/**
 * Scoping throughput (changed lines per second through `scopeChange`: tree-sitter parses of both
 * versions, element mapping, relations, ranking, themes, candidates) on synthetic but realistic
 * changes — TypeScript, Python and Go modules with classes, methods and functions, edited the
 * way people edit: statements changed, guards added, functions added, removed and renamed —
 * and the p95 of capture (git) + scoping on the 2 000-line case. The baseline beside it is the
 * offline drafter's regex-level reading (`analyzeFile`) of the same diffs.
 */

const ROUNDS = 7;
const CAPTURE_ROUNDS = 20;

/** mulberry32: the same change on every run and machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Language = 'ts' | 'py' | 'go';

const ENTITIES = [
  'invoice',
  'order',
  'session',
  'report',
  'ticket',
  'upload',
  'account',
  'schedule',
  'message',
  'token',
];
const VERBS = [
  'load',
  'save',
  'parse',
  'render',
  'validate',
  'merge',
  'resolve',
  'refresh',
  'apply',
  'collect',
];
const FIELDS = ['amount', 'count', 'weight', 'size', 'score', 'total'];
const VARS = ['items', 'rows', 'entries', 'values', 'records', 'parts'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Unit {
  name: string;
  /** A method sits in the module's class (Go: has the service as receiver). */
  method: boolean;
  /** Statements, each one or more lines. */
  body: string[][];
}

interface Module {
  language: Language;
  entity: string;
  units: Unit[];
}

/** One statement (one to four lines) in the language's style. */
function statement(language: Language, next: () => number, entity: string, guard = false): string[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const v = pick(VARS);
  const f = pick(FIELDS);
  const n = Math.floor(next() * 90) + 2;
  const callee = `${pick(VERBS)}${cap(pick(ENTITIES))}`;
  const kind = guard ? 0 : Math.floor(next() * 6);
  if (language === 'ts') {
    return [
      [`if (!${v} || ${v}.length === 0) return null;`],
      [`const ${v}${n} = ${callee}(${v}, ${n});`],
      [`for (const item of ${v}) {`, `  total += item.${f} * ${n};`, '}'],
      [`this.log.debug('${entity} ${v}', { count: ${v}.length, limit: ${n} });`],
      [
        'try {',
        `  await ${callee}(${v}.slice(0, ${n}));`,
        '} catch (error) {',
        '  this.log.warn(String(error));',
        '}',
      ],
      [`const ${f}${n} = ${v}.filter((item) => item.${f} > ${n}).map((item) => item.${f});`],
    ][kind] as string[];
  }
  if (language === 'py') {
    return [
      [`if not ${v}:`, '    return None'],
      [`${v}_${n} = ${callee.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}(${v}, ${n})`],
      [`for item in ${v}:`, `    total += item.${f} * ${n}`],
      [`self.log.debug("${entity} %s", len(${v}))`],
      [
        'try:',
        `    ${callee.toLowerCase()}(${v}[:${n}])`,
        'except ValueError as error:',
        '    self.log.warning(error)',
      ],
      [`${f}_${n} = [item.${f} for item in ${v} if item.${f} > ${n}]`],
    ][kind] as string[];
  }
  return [
    [`if len(${v}) == 0 {`, '\treturn nil, errEmpty', '}'],
    [
      `${v}${n}, err := ${callee}(ctx, ${v}, ${n})`,
      'if err != nil {',
      `\treturn nil, fmt.Errorf("${entity}: %w", err)`,
      '}',
      `_ = ${v}${n}`,
    ],
    [`for _, item := range ${v} {`, `\ttotal += item.${cap(f)} * ${n}`, '}'],
    [`log.Printf("${entity} %d", len(${v}))`],
    [`s.cache.Store(key, ${n})`],
    [`${f}${n} := make([]int, 0, ${n})`, `_ = ${f}${n}`],
  ][kind] as string[];
}

function newUnit(
  language: Language,
  next: () => number,
  entity: string,
  index: number,
  method: boolean,
): Unit {
  const verb = VERBS[index % VERBS.length] as string;
  const name =
    language === 'py'
      ? `${verb}_${entity}_${index}`
      : language === 'go' && !method
        ? `${verb}${cap(entity)}${index}`
        : `${verb}${cap(entity)}${index}`;
  const body: string[][] = [];
  const statements = 3 + Math.floor(next() * 5);
  for (let i = 0; i < statements; i++) body.push(statement(language, next, entity));
  return { name: language === 'go' && method ? cap(name) : name, method, body };
}

function generateModule(language: Language, next: () => number, index: number): Module {
  const entity = `${ENTITIES[index % ENTITIES.length]}${Math.floor(index / ENTITIES.length) || ''}`;
  const units: Unit[] = [];
  const count = 9 + Math.floor(next() * 6);
  for (let i = 0; i < count; i++) units.push(newUnit(language, next, entity, i, i < count / 2));
  return { language, entity, units };
}

function indent(statements: string[][], prefix: string): string[] {
  return statements.flat().map((l) => (l === '' ? '' : `${prefix}${l}`));
}

function render(m: Module): string {
  const E = cap(m.entity.replace(/\d+$/, ''));
  const methods = m.units.filter((u) => u.method);
  const functions = m.units.filter((u) => !u.method);
  const out: string[] = [];
  if (m.language === 'ts') {
    out.push(
      "import { readFile } from 'node:fs/promises';",
      "import { createLogger, type Logger } from '../log/index.js';",
      '',
      `export interface ${E}Options {`,
      '  limit: number;',
      '  strict: boolean;',
      '}',
      '',
      `/** Loads, checks and stores ${m.entity} records. */`,
      `export class ${E}Service {`,
      `  private readonly log: Logger = createLogger('${m.entity}');`,
      '',
      `  constructor(private readonly options: ${E}Options) {}`,
    );
    for (const u of methods)
      out.push(
        '',
        `  async ${u.name}(items: Item[]): Promise<number | null> {`,
        '    let total = 0;',
        ...indent(u.body, '    '),
        '    return total;',
        '  }',
      );
    out.push('}');
    for (const u of functions)
      out.push(
        '',
        `export function ${u.name}(items: Item[]): number | null {`,
        '  let total = 0;',
        ...indent(u.body, '  '),
        '  return total;',
        '}',
      );
  } else if (m.language === 'py') {
    out.push(
      'import logging',
      'from dataclasses import dataclass',
      '',
      '',
      `class ${E}Service:`,
      `    """Loads, checks and stores ${m.entity} records."""`,
      '',
      '    def __init__(self, options):',
      '        self.options = options',
      `        self.log = logging.getLogger("${m.entity}")`,
    );
    for (const u of methods)
      out.push(
        '',
        `    def ${u.name}(self, items):`,
        '        total = 0',
        ...indent(u.body, '        '),
        '        return total',
      );
    for (const u of functions)
      out.push(
        '',
        '',
        `def ${u.name}(items):`,
        '    total = 0',
        ...indent(
          u.body.map((st) => st.map((l) => l.replace('self.log', 'logging'))),
          '    ',
        ),
        '    return total',
      );
  } else {
    out.push(
      'package service',
      '',
      'import (',
      '\t"context"',
      '\t"fmt"',
      '\t"log"',
      ')',
      '',
      `// ${E}Service loads, checks and stores ${m.entity} records.`,
      `type ${E}Service struct {`,
      '\tcache Cache',
      '}',
    );
    for (const u of methods)
      out.push(
        '',
        `func (s *${E}Service) ${u.name}(ctx context.Context, items []Item) ([]int, error) {`,
        '\ttotal := 0',
        ...indent(u.body, '\t'),
        '\t_ = total',
        '\treturn nil, nil',
        '}',
      );
    for (const u of functions)
      out.push(
        '',
        `func ${u.name}(ctx context.Context, s *${E}Service, items []Item, key string) ([]int, error) {`,
        '\ttotal := 0',
        ...indent(u.body, '\t'),
        '\t_ = total',
        '\treturn nil, nil',
        '}',
      );
  }
  return `${out.join('\n')}\n`;
}

/**
 * Edits a copy of the module: changed statements, new guards, added, removed and renamed units.
 * As in real commits, most edits land in a few functions of the file (three "focus" units take
 * four edits in five), the rest anywhere.
 */
function edit(m: Module, next: () => number, budget: number): Module {
  const units = m.units.map((u) => ({ ...u, body: u.body.map((st) => [...st]) }));
  const focus = Array.from({ length: 3 }, () => units[Math.floor(next() * units.length)] as Unit);
  let spent = 0;
  let added = 0;
  while (spent < budget) {
    const roll = next();
    const target =
      next() < 0.8 && units.includes(focus[0] as Unit)
        ? (focus[Math.floor(next() * focus.length)] as Unit)
        : (units[Math.floor(next() * units.length)] as Unit);
    if (roll < 0.45) {
      // Change a statement: its lines removed, another's added.
      const at = Math.floor(next() * target.body.length);
      const replacement = statement(m.language, next, m.entity);
      spent += (target.body[at]?.length ?? 0) + replacement.length;
      target.body.splice(at, 1, replacement);
    } else if (roll < 0.65) {
      const guard = statement(m.language, next, m.entity, true);
      target.body.unshift(guard);
      spent += guard.length;
    } else if (roll < 0.8) {
      const unit = newUnit(m.language, next, m.entity, 100 + added++, next() < 0.3);
      units.splice(Math.floor(next() * units.length), 0, unit);
      spent += unit.body.flat().length + 5;
    } else if (roll < 0.9 && units.length > 4) {
      units.splice(units.indexOf(target), 1);
      spent += target.body.flat().length + 5;
    } else {
      target.name = `${target.name}${m.language === 'py' ? '_v2' : 'V2'}`;
      spent += 2;
    }
  }
  return { ...m, units };
}

export interface SyntheticChange {
  files: Array<{ path: string; before: string; after: string }>;
}

/** A deterministic change over `fileCount` files (TypeScript, Python and Go in turn). */
export function syntheticChange(fileCount: number, changedLines: number, seed = 20261122): SyntheticChange {
  const next = random(seed);
  const languages: Language[] = ['ts', 'py', 'go'];
  const files: SyntheticChange['files'] = [];
  for (let i = 0; i < fileCount; i++) {
    const language = languages[i % 3] as Language;
    const module = generateModule(language, next, i);
    const area = ['billing', 'search', 'accounts', 'uploads', 'reports'][i % 5];
    const ext = language === 'ts' ? 'ts' : language === 'py' ? 'py' : 'go';
    const path = `src/${area}/${module.entity}_service.${ext}`.replace('_service.ts', '.service.ts');
    // Git keeps lines two edits share (a closing brace) as context: aim a little above the count.
    files.push({
      path,
      before: render(module),
      after: render(edit(module, next, (1.1 * changedLines) / fileCount)),
    });
  }
  return { files };
}

function writeRepo(change: SyntheticChange): TestRepo {
  const repo = createTestRepo('keel-scoping-bench-');
  for (const f of change.files) repo.write(f.path, f.before);
  repo.commit('before');
  for (const f of change.files) repo.write(f.path, f.after);
  return repo;
}

/** Grammar load in a fresh process: web-tree-sitter's init and the three grammars, nothing else. */
function grammarLoadMs(): number {
  const script = `
const { loadLanguage } = await import(${JSON.stringify(new URL('../src/modules/commits/analysis/grammars.ts', import.meta.url).pathname)});
const started = performance.now();
for (const name of ['typescript', 'python', 'go']) await loadLanguage(name);
process.stdout.write(String(performance.now() - started));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out.trim());
}

/** Warm-up rounds before any measurement: the JIT and the grammars settle. */
const WARM_UP = 3;

async function throughput(change: Change): Promise<{ rate: number; ms: number; lines: number }> {
  const first = await scopeChange(change);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await scopeChange(change);
    times.push(performance.now() - started);
  }
  const ms = median(times);
  return { rate: first.stats.changedLines / (ms / 1000), ms, lines: first.stats.changedLines };
}

function baselineRate(change: Change, lines: number): number {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (const file of change.files) analyzeFile(file.diff);
    times.push(performance.now() - started);
  }
  return lines / (median(times) / 1000);
}

export async function scopingBench(): Promise<BenchResult> {
  const loadMs = grammarLoadMs();
  const small = writeRepo(syntheticChange(40, 2000));
  const large = writeRepo(syntheticChange(200, 23_500, 7));
  try {
    const smallChange = await collectChange(small.dir, { kind: 'working-tree' });
    const largeChange = await collectChange(large.dir, { kind: 'working-tree' });
    for (let round = 0; round < WARM_UP; round++) {
      await scopeChange(smallChange);
      await scopeChange(largeChange);
    }
    const a = await throughput(smallChange);
    const b = await throughput(largeChange);
    const baseline = baselineRate(smallChange, a.lines);

    // Capture (git diff, contents) + scoping + prompt, end to end on the 2 000-line change.
    const totals: number[] = [];
    const captures: number[] = [];
    const prompts: number[] = [];
    for (let round = 0; round < CAPTURE_ROUNDS; round++) {
      const started = performance.now();
      const change = await collectChange(small.dir, { kind: 'working-tree' });
      const captured = performance.now();
      const scoping = await scopeChange(change);
      const scoped = performance.now();
      buildPrompt(scoping, { tokenBudget: 6000 });
      prompts.push(performance.now() - scoped);
      captures.push(captured - started);
      totals.push(scoped - started);
    }
    const p95 = percentile(totals, 95);
    return {
      name: 'Commit scoping',
      method: `Synthetic changes (deterministic): ${smallChange.files.length} files / ${a.lines} changed lines, and ${largeChange.files.length} files / ${b.lines} changed lines; TypeScript, Python and Go modules of 9–14 functions and methods (classes, loops, try/catch, guards), edited by changed statements, new guards, added, removed and renamed functions (most edits in three functions per file, as in real commits). Throughput: \`scopeChange\` on the captured change (tree-sitter parse of the blocks around the changes in the new version — the whole file when they are most of it — and of the old version where declarations were removed or renamed; element mapping, relations, Top-10, themes, candidates), median of ${ROUNDS} rounds after ${WARM_UP} warm-up rounds, grammars loaded. Grammar load: a fresh process loading web-tree-sitter and the three grammars. Capture + scope: \`collectChange\` (git, working tree) then \`scopeChange\`, ${CAPTURE_ROUNDS} runs. Baseline: the offline drafter's regex-level \`analyzeFile\` over the same diffs.`,
      rows: [
        {
          measure: `scoping, ${a.lines} lines / ${smallChange.files.length} files`,
          value: `${a.rate.toFixed(0)} lines/s (${a.ms.toFixed(0)} ms)`,
          target: '≥ 20000 lines/s',
          pass: a.rate >= 20_000,
        },
        {
          measure: `scoping, ${b.lines} lines / ${largeChange.files.length} files`,
          value: `${b.rate.toFixed(0)} lines/s (${b.ms.toFixed(0)} ms)`,
          target: '≥ 20000 lines/s',
          pass: b.rate >= 20_000,
        },
        { measure: 'baseline: regex analyzeFile, 2k case', value: `${baseline.toFixed(0)} lines/s` },
        { measure: 'grammar load (ts, py, go; fresh process)', value: `${loadMs.toFixed(0)} ms` },
        {
          measure: 'capture (git) p50 / p95, 2k case',
          value: `${median(captures).toFixed(0)} / ${percentile(captures, 95).toFixed(0)} ms`,
        },
        {
          measure: 'capture + scope p95, 2k case',
          value: `${p95.toFixed(0)} ms (p50 ${median(totals).toFixed(0)} ms)`,
          target: '< 2000 ms (whole draft)',
          pass: p95 < 2000,
        },
        { measure: 'prompt build (6000 tokens) p95', value: `${percentile(prompts, 95).toFixed(0)} ms` },
      ],
    };
  } finally {
    small.cleanup();
    large.cleanup();
  }
}
