import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { vectorText } from '../src/shared/llm/cache/semantic-cache.js';
import { embedText } from '../src/shared/llm/embeddings/offline/index.js';
import { shortTexts } from './embed.bench.js';

const n = Number(process.argv[2] ?? 5000);
const db = await PGlite.create({ extensions: { vector } });
await db.exec(
  'create extension if not exists vector; create table e (id int primary key, embedding vector(1536) not null)',
);
const texts = shortTexts(n);
let t = performance.now();
for (let s = 0; s < n; s += 500) {
  const ids: number[] = [];
  const vs: string[] = [];
  for (let i = s; i < Math.min(n, s + 500); i++) {
    ids.push(i);
    vs.push(vectorText(embedText(texts[i]!))!);
  }
  await db.query('insert into e select id, v::vector from unnest($1::int[], $2::text[]) as r(id, v)', [
    ids,
    vs,
  ]);
}
console.log('load', n, ((performance.now() - t) / 1000).toFixed(1), 's');
t = performance.now();
await db.exec(`set maintenance_work_mem = '512MB'`);
await db.exec(
  'create index on e using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)',
);
console.log('hnsw turbo', ((performance.now() - t) / 1000).toFixed(1), 's');
await db.close();
