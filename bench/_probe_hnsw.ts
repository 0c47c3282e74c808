import { shortTexts } from '../bench/embed.bench.js';
import { openPglite } from '../src/kernel/db/index.js';
import { vectorText } from '../src/shared/llm/cache/semantic-cache.js';
import { embedText } from '../src/shared/llm/embeddings/offline/index.js';

const n = Number(process.argv[2] ?? 5000);
const mwm = process.argv[3] ?? '64MB';
const db = await openPglite(null);
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
await db.exec(`set maintenance_work_mem = '${mwm}'`);
await db.exec(
  'create index on e using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)',
);
console.log('hnsw', mwm, ((performance.now() - t) / 1000).toFixed(1), 's');
const q = vectorText(embedText('deployment pipeline failed on staging'))!;
await db.exec('set hnsw.ef_search = 100');
for (let k = 0; k < 3; k++) {
  t = performance.now();
  await db.query('select id from e order by embedding <=> $1::vector limit 50', [q]);
  console.log('q', (performance.now() - t).toFixed(1));
}
console.log(await db.query("select pg_size_pretty(pg_total_relation_size('e')) s"));
await db.close();
