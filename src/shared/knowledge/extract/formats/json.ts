import { ExtractionError } from '../extract.errors.js';
import type { ExtractionRun } from '../run.js';
import { tableBlock } from '../table.js';
import { readText } from './text.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * JSON as text a search can match: an array of flat objects (records) becomes a table whose header
 * is every key in first-seen order; anything else is flattened to `path: value` lines, one
 * paragraph per top-level member (or element).
 */
export function extractJson(bytes: Uint8Array, run: ExtractionRun): void {
  const text = readText(bytes, 'JSON');
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (error) {
    throw new ExtractionError('corrupt', `the JSON file does not parse (${(error as Error).message})`, {
      cause: error,
    });
  }

  if (isRecordArray(value)) {
    const header = [...new Set(value.flatMap((record) => Object.keys(record)))];
    const rows = value.map((record) => header.map((key) => scalarText(record[key] ?? null, key in record)));
    run.push(tableBlock([header, ...rows], { line: 1 }));
    return;
  }

  const members: [string, Json][] = Array.isArray(value)
    ? value.map((item, index) => [`[${index}]`, item])
    : isObject(value)
      ? Object.entries(value).map(([key, item]) => [pathKey('', key), item])
      : [['', value]];
  for (const [path, item] of members) {
    const lines: string[] = [];
    flatten(item, path, lines);
    const paragraph = lines.join('\n').trim();
    if (paragraph) run.push({ kind: 'paragraph', text: paragraph, location: { line: 1 } });
  }
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecordArray(value: Json): value is { [key: string]: Json }[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (item) =>
        isObject(item) && Object.values(item).every((field) => field === null || typeof field !== 'object'),
    )
  );
}

function scalarText(value: Json, present = true): string {
  if (!present) return '';
  return value === null ? 'null' : String(value);
}

function pathKey(prefix: string, key: string): string {
  const plain = /^[\p{L}_$][\p{L}\p{N}_$-]*$/u.test(key);
  if (plain) return prefix ? `${prefix}.${key}` : key;
  return `${prefix}[${JSON.stringify(key)}]`;
}

function flatten(value: Json, path: string, lines: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) lines.push(`${path}: []`);
    value.forEach((item, index) => {
      flatten(item, `${path}[${index}]`, lines);
    });
  } else if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) lines.push(`${path}: {}`);
    for (const [key, item] of entries) flatten(item, pathKey(path, key), lines);
  } else {
    lines.push(path ? `${path}: ${scalarText(value)}` : scalarText(value));
  }
}
