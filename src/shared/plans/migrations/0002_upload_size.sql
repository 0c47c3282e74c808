ALTER TABLE "plans"."plan_catalog" ADD COLUMN "max_upload_mb" integer;--> statement-breakpoint
ALTER TABLE "plans"."plan_catalog" ADD CONSTRAINT "plan_catalog_upload_mb_check" CHECK (coalesce("plans"."plan_catalog"."max_upload_mb", 0) >= 0);--> statement-breakpoint
-- The shipped catalog's values (config/plan_catalog.yml upserts over them at start); null: no plan
-- limit, the server's extraction limit still applies.
UPDATE "plans"."plan_catalog" SET "max_upload_mb" = CASE "plan_key"
  WHEN 'free' THEN 10 WHEN 'basic' THEN 50 WHEN 'premium' THEN 100 ELSE NULL END;
