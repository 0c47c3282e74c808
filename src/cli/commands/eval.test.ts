import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCommandArgs, UsageError } from '../command.js';
import { evalCommand } from './eval.js';

/**
 * A BEIR folder small enough to score by hand with BM25:
 * q1 "banana" finds only d1 (relevant): nDCG 1, MRR 1, recall 1.
 * q2 "elderberry fig" finds only d3; d2 is the relevant one: all 0.
 * q3 "cherry": d2 (grade 2, 2 terms) outranks d3 (grade 1, 3 terms), the ideal order: all 1.
 * q4 has no judgments and is not evaluated.
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keel-beir-'));
  const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
  writeFileSync(
    join(dir, 'corpus.jsonl'),
    jsonl([
      { _id: 'd1', title: '', text: 'apple banana' },
      { _id: 'd2', title: 'cherry', text: 'date' },
      { _id: 'd3', title: '', text: 'apple cherry elderberry' },
    ]),
  );
  writeFileSync(
    join(dir, 'queries.jsonl'),
    jsonl([
      { _id: 'q1', text: 'banana' },
      { _id: 'q2', text: 'elderberry fig' },
      { _id: 'q3', text: 'cherry' },
      { _id: 'q4', text: 'apple' },
    ]),
  );
  mkdirSync(join(dir, 'qrels'));
  writeFileSync(
    join(dir, 'qrels', 'test.tsv'),
    'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td2\t2\nq3\td3\t1\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  const { values, positionals } = parseCommandArgs(evalCommand, args);
  const code = await evalCommand.run(values, positionals);
  vi.restoreAllMocks();
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('keel eval search', () => {
  it('scores a BEIR folder: hand-checked BM25 metrics, equal to the reference, as JSON', async () => {
    const { code, stdout } = await run(['search', '--beir', dir, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.collection).toEqual({ documents: 3, queries: 3, chunks: 3 });
    for (const name of ['bm25', 'reference_bm25']) {
      expect(report.methods[name]).toMatchObject({
        'ndcg@10': 0.6667,
        'recall@100': 0.6667,
        'mrr@10': 0.6667,
        queries: 3,
        refused: 0,
      });
    }
    for (const name of ['vector', 'hybrid']) {
      const m = report.methods[name];
      for (const key of ['ndcg@10', 'recall@100', 'mrr@10']) expect(m[key]).toBeGreaterThan(0);
      expect(m.p95_ms).toBeGreaterThanOrEqual(m.p50_ms);
    }
  });

  it('refuses a bad command line or folder', async () => {
    await expect(run(['search'])).rejects.toThrow(UsageError);
    await expect(run(['search', '--beir', dir, '--method', 'bm42'])).rejects.toThrow(/--method/);
    await expect(run(['search', '--beir', dir, '--b', '2'])).rejects.toThrow(/--b/);
    await expect(run(['ops', '--beir', dir])).rejects.toThrow(/subcommand/);
    await expect(run(['commits', '--limit', '0'])).rejects.toThrow(/--limit/);
    const notRepo = await run(['commits', '--repo', dir]);
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toMatch(/not inside a git repository/);
    const missing = await run(['search', '--beir', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/corpus\.jsonl does not exist/);
  });
});
