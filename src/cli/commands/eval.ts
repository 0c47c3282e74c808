import { resolve } from 'node:path';
import { migrate, openPglite, readMigrations } from '../../kernel/db/index.js';
import { evalCommits, formatCommitsReport } from '../../modules/commits/index.js';
import { allModules, migrationSources } from '../../modules.js';
import {
  BeirFormatError,
  EVAL_METHODS,
  type EvalMethod,
  formatReport,
  loadBeir,
  runSearchEval,
} from '../../shared/knowledge/index.js';
import { embedText } from '../../shared/llm/index.js';
import { type Command, UsageError } from '../command.js';

const subcommands = ['search', 'commits'] as const;

export const evalCommand: Command = {
  name: 'eval',
  summary:
    'Measure quality on your own data: search (BEIR-format collections), commit drafts (a git repository).',
  usage:
    'keel eval search --beir DIR [--method bm25|vector|hybrid|all] [--k1 0.9 --b 0.4] [--weights 1,1] [--limit-queries N] [--split test] [--json]\n       keel eval commits --repo PATH [--limit N] [--json]',
  help: [
    '  commits                 draft a message for each of the last N non-merge, non-bot commits from its',
    '                          diff alone and compare with the message written: type accuracy, scope',
    '                          accuracy, subject similarity (ROUGE-L F1), per provider',
    '  --repo PATH             the repository (default: the current directory)',
    '  --limit N               how many commits (default 50)',
    '  search                  index a BEIR-format folder (corpus.jsonl, queries.jsonl, qrels/SPLIT.tsv)',
    '                          into a throwaway in-memory database and report nDCG@10, Recall@100,',
    '                          MRR@10 and latency per method, beside a reference BM25 (Lucene formula)',
    '  --beir DIR              the collection folder',
    '  --method M              bm25, vector, hybrid or all (default all)',
    '  --k1 X, --b X           BM25 parameters (default 0.9 and 0.4, as Lucene / Anserini)',
    '  --weights T,V           hybrid fusion weights of text and vector (default 1,1)',
    '  --limit-queries N       only the first N judged queries',
    '  --split NAME            qrels/NAME.tsv (default test)',
    '  --json                  print one JSON object instead of the table',
  ].join('\n'),
  options: {
    beir: { type: 'string' },
    method: { type: 'string', default: 'all' },
    k1: { type: 'string' },
    b: { type: 'string' },
    weights: { type: 'string' },
    'limit-queries': { type: 'string' },
    split: { type: 'string', default: 'test' },
    json: { type: 'boolean' },
    repo: { type: 'string' },
    limit: { type: 'string', default: '50' },
  },
  async run(values, positionals) {
    const [sub, ...extra] = positionals;
    if (!subcommands.includes(sub as (typeof subcommands)[number]) || extra.length > 0)
      throw new UsageError(`eval: expected the subcommand ${subcommands.join(', ')}`);
    if (sub === 'commits') return runCommitsEval(values);
    if (typeof values.beir !== 'string') throw new UsageError('eval search: --beir DIR is required');
    const method = values.method as string;
    if (method !== 'all' && !EVAL_METHODS.includes(method as EvalMethod))
      throw new UsageError(`eval search: --method must be one of ${EVAL_METHODS.join(', ')}, all`);
    const methods = method === 'all' ? EVAL_METHODS : [method as EvalMethod];
    const k1 = numberOption(values.k1, 'k1', 0.9);
    const b = numberOption(values.b, 'b', 0.4);
    if (k1 < 0 || k1 > 10 || b < 0 || b > 1)
      throw new UsageError('eval search: --k1 must be in [0, 10] and --b in [0, 1]');
    const weights = weightsOption(values.weights);
    const limit = values['limit-queries'];
    const limitQueries = limit === undefined ? undefined : Number(limit);
    if (limitQueries !== undefined && (!Number.isInteger(limitQueries) || limitQueries < 1))
      throw new UsageError('eval search: --limit-queries must be a positive integer');

    const dir = resolve(values.beir);
    let collection: Awaited<ReturnType<typeof loadBeir>>;
    try {
      collection = await loadBeir(dir, { split: values.split as string });
    } catch (error) {
      if (error instanceof BeirFormatError) {
        process.stderr.write(`keel: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    if (collection.queries.length === 0) {
      process.stderr.write(`keel: ${dir} has no query with a relevant document in its qrels\n`);
      return 1;
    }

    const db = await openPglite(null);
    try {
      await migrate(db, readMigrations(migrationSources(allModules)));
      const report = await runSearchEval({
        db,
        collection,
        methods,
        embed: (text) => embedText(text),
        bm25: { k1, b },
        weights,
        limitQueries,
        progress: values.json ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      if (values.json) {
        // With one method its metrics are also top-level keys (DESIGN.md §7).
        const single = methods.length === 1 ? report.methods[methods[0] as string] : undefined;
        process.stdout.write(`${JSON.stringify({ ...single, ...report }, null, 2)}\n`);
      } else process.stdout.write(formatReport(report, dir));
      return 0;
    } finally {
      await db.close();
    }
  },
};

function numberOption(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`eval search: --${name} must be a number`);
  return n;
}

function weightsOption(value: string | boolean | undefined): { text: number; vector: number } | undefined {
  if (value === undefined) return undefined;
  const parts = typeof value === 'string' ? value.split(',').map(Number) : [];
  const [text, vector] = parts;
  if (
    parts.length !== 2 ||
    !parts.every((w) => Number.isFinite(w) && w >= 0) ||
    text === undefined ||
    vector === undefined ||
    text + vector === 0
  )
    throw new UsageError('eval search: --weights must be two non-negative numbers, e.g. 1,1');
  return { text, vector };
}

async function runCommitsEval(values: Record<string, string | boolean | undefined>): Promise<number> {
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000)
    throw new UsageError('eval commits: --limit must be a whole number from 1 to 5000');
  const repoDir = resolve(typeof values.repo === 'string' ? values.repo : '.');
  let report: Awaited<ReturnType<typeof evalCommits>>;
  try {
    report = await evalCommits({
      repoDir,
      limit,
      progress: values.json ? undefined : (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`keel: ${(error as Error).message}\n`);
    return 2;
  }
  if (report.commits === 0) {
    process.stderr.write(`keel: ${report.repo} has no non-merge commit with a parent to evaluate\n`);
    return 1;
  }
  if (values.json) {
    const { cases, ...metrics } = report;
    process.stdout.write(`${JSON.stringify({ ...metrics, cases }, null, 2)}\n`);
  } else process.stdout.write(formatCommitsReport(report));
  return 0;
}
