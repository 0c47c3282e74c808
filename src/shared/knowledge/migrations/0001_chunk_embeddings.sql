-- Chunk embeddings for vector search. They need pgvector: the kernel creates the `vector`
-- extension before module migrations when the server offers it. Without it this migration
-- creates nothing and vector search reports itself off (text search still works). Statements
-- are EXECUTEd so the block parses where the type does not exist; each is idempotent, so a later
-- migration may repeat this block once pgvector is installed.
--
-- No drizzle table in knowledge.tables.ts on purpose: the table exists only on some databases,
-- and search/ is the one place that reads or writes it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN
    EXECUTE $sql$
      CREATE TABLE IF NOT EXISTS "knowledge"."chunk_embeddings" (
        "chunk_id" uuid PRIMARY KEY NOT NULL REFERENCES "knowledge"."chunks"("id") ON DELETE CASCADE,
        "knowledge_base_id" uuid NOT NULL,
        "embedding" vector(1536) NOT NULL
      )
    $sql$;
    EXECUTE $sql$
      CREATE INDEX IF NOT EXISTS "chunk_embeddings_hnsw_idx" ON "knowledge"."chunk_embeddings"
        USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)
    $sql$;
    EXECUTE $sql$
      CREATE INDEX IF NOT EXISTS "chunk_embeddings_base_idx" ON "knowledge"."chunk_embeddings" ("knowledge_base_id")
    $sql$;
  END IF;
END
$$;
