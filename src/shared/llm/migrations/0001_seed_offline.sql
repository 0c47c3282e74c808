-- Keel's offline provider: needs no key and no network, so a fresh install answers every call.
-- It is the last resort (priority 1000): a provider added later with a lower priority goes first.
INSERT INTO "llm"."providers" (id, name, display_name, kind, base_url, status, priority)
VALUES ('00000000-0000-4000-8000-00000000f001', 'keel-offline', 'Keel offline', 'offline', NULL, 'active', 1000);
--> statement-breakpoint
INSERT INTO "llm"."models" (id, provider_id, name, display_name, context_window, capabilities, embedding_dims)
VALUES
  ('00000000-0000-4000-8000-00000000f101', '00000000-0000-4000-8000-00000000f001', 'keel-offline-1',
   'Keel offline (rules, extractive)', 128000, ARRAY['chat', 'tools', 'json'], NULL),
  ('00000000-0000-4000-8000-00000000f102', '00000000-0000-4000-8000-00000000f001', 'hashed-text-1536',
   'Hashed n-gram text embedding (1536)', NULL, ARRAY['embeddings'], 1536),
  ('00000000-0000-4000-8000-00000000f103', '00000000-0000-4000-8000-00000000f001', 'hashed-text-512',
   'Hashed n-gram text embedding (512)', NULL, ARRAY['embeddings'], 512),
  ('00000000-0000-4000-8000-00000000f104', '00000000-0000-4000-8000-00000000f001', 'code-paths-512',
   'AST path-context code embedding (512)', NULL, ARRAY['embeddings'], 512);
--> statement-breakpoint
-- The default route of every feature, every plan: the offline model, tried last.
INSERT INTO "llm"."routing_rules" (id, feature, plan_key, org_id, model_id, priority, weight)
VALUES ('00000000-0000-4000-8000-00000000f201', '*', NULL, NULL, '00000000-0000-4000-8000-00000000f101', 1000, 100);
