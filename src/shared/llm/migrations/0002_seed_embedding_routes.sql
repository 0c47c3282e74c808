-- Seed 001 §8's two embedding spaces, served offline until an admin routes them elsewhere:
-- text (1536 dims) and code (512 dims, AST path-contexts).
INSERT INTO "llm"."routing_rules" (id, feature, plan_key, org_id, model_id, priority, weight)
VALUES
  ('00000000-0000-4000-8000-00000000f202', 'embed.text', NULL, NULL, '00000000-0000-4000-8000-00000000f102', 1000, 100),
  ('00000000-0000-4000-8000-00000000f203', 'embed.code', NULL, NULL, '00000000-0000-4000-8000-00000000f104', 1000, 100);
