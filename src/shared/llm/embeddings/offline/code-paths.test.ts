import { describe, expect, it } from 'vitest';
import { CODE_DIMS, embedCode, subtokens } from './code-paths.js';
import { cosine } from './feature-hashing.js';
import { embedText } from './hashed-text.js';
import { CODE_LANGUAGES, type CodeLanguage } from './languages.js';

const SUM = `export function sumPositive(values: number[]): number {
  let total = 0;
  for (const value of values) {
    if (value > 0) total += value;
  }
  return total;
}`;

const SUM_RENAMED = `export function addUp(xs: number[]): number {
  let acc = 0;
  for (const x of xs) {
    if (x > 0) acc += x;
  }
  return acc;
}`;

const FETCH_USER = `export async function fetchUser(id: string): Promise<User> {
  const res = await fetch('/api/users/' + encodeURIComponent(id));
  if (!res.ok) throw new Error('user not found');
  return (await res.json()) as User;
}`;

/** A small function in each language: each must parse into path-contexts. */
const SAMPLES: Record<CodeLanguage, string> = {
  typescript: SUM,
  tsx: 'export const Hello = ({ name }: { name: string }) => <p className="x">Hello {name}</p>;',
  javascript: 'function area(r) {\n  return Math.PI * r * r;\n}\nmodule.exports = { area };',
  python: 'def area(r):\n    """Circle area."""\n    return math.pi * r * r\n',
  go: 'package geo\n\nfunc Area(r float64) float64 {\n\treturn math.Pi * r * r\n}\n',
  java: 'class Geo {\n  static double area(double r) {\n    return Math.PI * r * r;\n  }\n}\n',
  rust: 'pub fn area(r: f64) -> f64 {\n    std::f64::consts::PI * r * r\n}\n',
  c: 'double area(double r) {\n  return 3.14159 * r * r;\n}\n',
  cpp: 'namespace geo {\nauto area(double r) -> double { return M_PI * r * r; }\n}\n',
  c_sharp: 'class Geo {\n  public static double Area(double r) => Math.PI * r * r;\n}\n',
  ruby: 'def area(r)\n  Math::PI * r * r\nend\n',
  php: 'function area($r) {\n  return M_PI * $r * $r;\n}\n',
  kotlin: 'fun area(r: Double): Double {\n    return Math.PI * r * r\n}\n',
  swift: 'func area(r: Double) -> Double {\n    return Double.pi * r * r\n}\n',
  bash: 'area() {\n  local r="$1"\n  echo "$(( 3 * r * r ))"\n}\n',
};

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
}

describe('embedCode', () => {
  it('embeds from the syntax tree into 512 unit-norm dims by default', async () => {
    const result = await embedCode(SUM, 'typescript');
    expect(result.method).toBe('ast-paths');
    expect(result.language).toBe('typescript');
    expect(result.reason).toBeUndefined();
    expect(result.contexts).toBeGreaterThan(10);
    expect(result.vector).toHaveLength(CODE_DIMS);
    expect(norm(result.vector)).toBeCloseTo(1, 5);
  });

  it('is deterministic', async () => {
    const first = await embedCode(SUM, 'typescript');
    await embedCode(FETCH_USER, 'typescript');
    const again = await embedCode(SUM, 'typescript');
    expect(Array.from(again.vector)).toEqual(Array.from(first.vector));
  });

  it('keeps its vectors across releases (a change here must bump CODE_PATHS_VERSION)', async () => {
    const { vector } = await embedCode('def add(a, b):\n    return a + b\n', 'python');
    expect(vector[179]).toBeCloseTo(-0.4048, 4);
    expect(vector[119]).toBeCloseTo(-0.2872, 4);
    expect(vector[180]).toBeCloseTo(0.2213, 4);
  });

  it('puts the same function with renamed variables closer than an unrelated function', async () => {
    const [sum, renamed, other] = await Promise.all(
      [SUM, SUM_RENAMED, FETCH_USER].map((source) => embedCode(source, 'typescript')),
    );
    const same = cosine(sum?.vector ?? [], renamed?.vector ?? []);
    expect(same).toBeGreaterThan(cosine(sum?.vector ?? [], other?.vector ?? []));
    expect(same).toBeGreaterThan(0.5);
  });

  it('ranks by structure more than a text embedding of the same sources does', async () => {
    const sum = await embedCode(SUM, 'typescript');
    const renamed = await embedCode(SUM_RENAMED, 'typescript');
    const asText = cosine(embedText(SUM, CODE_DIMS), embedText(SUM_RENAMED, CODE_DIMS));
    expect(cosine(sum.vector, renamed.vector)).toBeGreaterThan(asText);
  });

  it.each(CODE_LANGUAGES)('parses %s', async (language) => {
    const result = await embedCode(SAMPLES[language], language);
    expect(result.method).toBe('ast-paths');
    expect(result.contexts).toBeGreaterThan(0);
    expect(norm(result.vector)).toBeCloseTo(1, 5);
  });

  it('accepts language aliases', async () => {
    expect((await embedCode(SAMPLES.c_sharp, 'C#')).language).toBe('c_sharp');
    expect((await embedCode(SAMPLES.python, 'py')).method).toBe('ast-paths');
  });

  it('falls back to the text embedding, in the same dims, for an unknown language', async () => {
    const result = await embedCode('IDENTIFICATION DIVISION.', 'cobol', 512);
    expect(result).toMatchObject({ method: 'text-fallback', reason: 'unknown-language', contexts: 0 });
    expect(Array.from(result.vector)).toEqual(Array.from(embedText('IDENTIFICATION DIVISION.', 512)));
    expect((await embedCode('x = 1', undefined)).reason).toBe('unknown-language');
  });

  it('falls back when the source is mostly parse errors', async () => {
    const result = await embedCode(')))) ]]] }}} ;;; <<<< >>>> ((((', 'typescript');
    expect(result).toMatchObject({ method: 'text-fallback', reason: 'parse-errors', language: 'typescript' });
  });

  it('falls back for an empty or too large source', async () => {
    const empty = await embedCode('  \n', 'go');
    expect(empty).toMatchObject({ method: 'text-fallback', reason: 'empty' });
    expect(empty.vector.every((v) => v === 0)).toBe(true);
    const large = await embedCode(SUM, 'typescript', 512, { maxSourceLength: 100 });
    expect(large).toMatchObject({ method: 'text-fallback', reason: 'too-large' });
  });

  it('works in other dims', async () => {
    const result = await embedCode(SUM, 'typescript', 1536);
    expect(result.vector).toHaveLength(1536);
    expect(norm(result.vector)).toBeCloseTo(1, 5);
  });

  it('bounds the path-contexts of a large file', async () => {
    const big = Array.from({ length: 400 }, (_, i) => SUM.replace('sumPositive', `sum${i}`)).join('\n');
    const result = await embedCode(big, 'typescript', 512, { maxContexts: 2_000 });
    expect(result.method).toBe('ast-paths');
    expect(result.contexts).toBeLessThanOrEqual(2_000);
  });
});

describe('subtokens', () => {
  it('splits names the way code2vec does', () => {
    expect(subtokens('getHTTPResponse_code2')).toEqual(['get', 'http', 'response', 'code2']);
    expect(subtokens('XMLHttpRequest')).toEqual(['xml', 'http', 'request']);
    expect(subtokens('__init__')).toEqual(['init']);
    expect(subtokens('größeBerechnen')).toEqual(['größe', 'berechnen']);
  });
});
