import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A BEIR-format collection (https://github.com/beir-cellar/beir): `corpus.jsonl` lines
 * `{"_id", "title", "text"}`, `queries.jsonl` lines `{"_id", "text"}` (an optional
 * `metadata.set` groups queries in the report), `qrels/<split>.tsv` lines
 * `query-id<TAB>corpus-id<TAB>score` after a header line.
 */
export interface BeirCollection {
  corpus: Array<{ id: string; title: string; text: string }>;
  /** Queries that have at least one relevant document in the qrels, in file order. */
  queries: Array<{ id: string; text: string; set?: string }>;
  qrels: Map<string, Map<string, number>>;
}

export class BeirFormatError extends Error {
  override name = 'BeirFormatError';
}

async function* lines(path: string): AsyncGenerator<{ line: string; number: number }> {
  const reader = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of reader) {
    number += 1;
    if (line.trim() !== '') yield { line, number };
  }
}

function parseJson(path: string, number: number, line: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BeirFormatError(`${path}:${number}: not a JSON object`);
}

function idOf(path: string, number: number, record: Record<string, unknown>): string {
  const id = record._id;
  if (typeof id === 'string' && id !== '') return id;
  if (typeof id === 'number') return String(id);
  throw new BeirFormatError(`${path}:${number}: "_id" is missing`);
}

export async function loadBeir(dir: string, options: { split?: string } = {}): Promise<BeirCollection> {
  const split = options.split ?? 'test';
  const paths = {
    corpus: join(dir, 'corpus.jsonl'),
    queries: join(dir, 'queries.jsonl'),
    qrels: join(dir, 'qrels', `${split}.tsv`),
  };
  for (const path of Object.values(paths)) {
    if (!existsSync(path))
      throw new BeirFormatError(`${path} does not exist (expected a BEIR-format folder)`);
  }

  const qrels = new Map<string, Map<string, number>>();
  for await (const { line, number } of lines(paths.qrels)) {
    const [queryId, docId, score] = line.split('\t').map((s) => s.trim());
    if (number === 1 && (score === undefined || !/^-?\d+$/.test(score))) continue; // header
    if (!queryId || !docId || score === undefined || !/^-?\d+$/.test(score))
      throw new BeirFormatError(
        `${paths.qrels}:${number}: expected query-id, corpus-id and an integer score`,
      );
    const judged = qrels.get(queryId) ?? new Map<string, number>();
    judged.set(docId, Number(score));
    qrels.set(queryId, judged);
  }

  const corpus: BeirCollection['corpus'] = [];
  for await (const { line, number } of lines(paths.corpus)) {
    const record = parseJson(paths.corpus, number, line);
    corpus.push({
      id: idOf(paths.corpus, number, record),
      title: typeof record.title === 'string' ? record.title : '',
      text: typeof record.text === 'string' ? record.text : '',
    });
  }

  const queries: BeirCollection['queries'] = [];
  for await (const { line, number } of lines(paths.queries)) {
    const record = parseJson(paths.queries, number, line);
    const id = idOf(paths.queries, number, record);
    const judged = qrels.get(id);
    if (!judged || ![...judged.values()].some((g) => g > 0)) continue;
    const metadata = record.metadata as { set?: unknown } | undefined;
    queries.push({
      id,
      text: typeof record.text === 'string' ? record.text : '',
      ...(typeof metadata?.set === 'string' ? { set: metadata.set } : {}),
    });
  }
  return { corpus, queries, qrels };
}
