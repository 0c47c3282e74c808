-- The semantic cache (seed 001 P-6, §8; src/shared/llm/cache/README.md). It needs pgvector: the
-- kernel creates the `vector` extension before any module migration runs when the server offers
-- it. On a server without pgvector this migration creates nothing and the cache reports itself
-- off. The statements are EXECUTEd so that the block still parses where the type does not exist;
-- every one is idempotent, so a later migration may repeat this block verbatim once pgvector is
-- installed.
--
-- No drizzle table in llm.tables.ts on purpose: the table exists only on some databases, and
-- cache/semantic-cache.repository.ts is the one file that reads or writes it.
DO $$
BEGIN
  -- binary_quantize() came with pgvector 0.7.
  IF EXISTS (
    SELECT 1 FROM pg_extension
    WHERE extname = 'vector'
      AND string_to_array(split_part(extversion, '-', 1), '.')::int[] >= ARRAY[0, 7]
  ) THEN
    -- fillfactor 90: a hit bumps `hits`; room on the page keeps that update HOT, so it writes no
    -- new HNSW entry (a non-HOT update would insert the 1536-d vector into the graph again).
    EXECUTE $sql$
      CREATE TABLE IF NOT EXISTS "llm"."semantic_cache" (
        "id" uuid PRIMARY KEY NOT NULL,
        "feature" varchar(100) NOT NULL,
        "tenant" varchar(64) NOT NULL,
        "embedding_model" varchar(160) NOT NULL,
        "embedding" vector(1536) NOT NULL,
        -- One bit per dimension (its sign): 192 bytes kept in the row, where the 6 KB vector is
        -- TOASTed. A scope scan ranks by Hamming distance on these, then compares only the best
        -- few vectors exactly: reading every vector of a 500-entry scope cost ~25 ms on PGlite.
        "embedding_bits" bit(1536) GENERATED ALWAYS AS (binary_quantize("embedding")::bit(1536)) STORED NOT NULL,
        "prompt_hash" varchar(64) NOT NULL,
        "response" text NOT NULL,
        "response_meta" jsonb NOT NULL,
        "created_at" timestamp with time zone DEFAULT now() NOT NULL,
        "expires_at" timestamp with time zone NOT NULL,
        "hits" integer DEFAULT 0 NOT NULL,
        CONSTRAINT "semantic_cache_tenant_check" CHECK ("tenant" ~ '^(org|user):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
        CONSTRAINT "semantic_cache_feature_check" CHECK ("feature" <> '')
      ) WITH (fillfactor = 90)
    $sql$;
    -- Every lookup reads one (tenant, feature, model) scope: the scope scan walks this index.
    EXECUTE 'CREATE INDEX IF NOT EXISTS "semantic_cache_scope_idx" ON "llm"."semantic_cache" ("tenant", "feature", "embedding_model", "expires_at")';
    -- The same prompt stored twice (two concurrent misses, or an expired row not yet swept) updates one row.
    EXECUTE 'CREATE UNIQUE INDEX IF NOT EXISTS "semantic_cache_prompt_key" ON "llm"."semantic_cache" ("tenant", "feature", "embedding_model", "prompt_hash")';
    -- The hourly sweep.
    EXECUTE 'CREATE INDEX IF NOT EXISTS "semantic_cache_expires_idx" ON "llm"."semantic_cache" ("expires_at")';
    -- Large scopes (seed 001 §3: HNSW, m=16, ef_construction=200). The graph spans all tenants;
    -- the lookup's WHERE clause, not the index, keeps each tenant to its own rows.
    EXECUTE 'CREATE INDEX IF NOT EXISTS "semantic_cache_embedding_idx" ON "llm"."semantic_cache" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 200)';
  END IF;
END $$;
