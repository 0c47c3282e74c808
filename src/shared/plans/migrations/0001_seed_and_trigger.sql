-- plan_order is unique (seed 001 §6-1), deferrable so that one catalog reload may swap two plans.
ALTER TABLE "plans"."plan_catalog"
  ADD CONSTRAINT "plan_catalog_plan_order_key" UNIQUE ("plan_order") DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
-- Seed 001 §6-1, value for value; UNLIMITED is NULL. config/plan_catalog.yml ships the same
-- catalog and, when present, is upserted over these rows at start and on every change.
INSERT INTO "plans"."plan_catalog"
(plan_key, plan_label, monthly_price_usd, max_commits_per_day, max_commits_per_month,
 max_describes_per_month, max_uploads_per_day, kakao_noti_remaining, slack_enabled,
 ad_layer_enabled, instant_commit_generation, save_commit_message, save_describe_enabled,
 commit_report_enabled, visualization_report_enabled, prompt_personalization_enabled,
 data_retention_days, team_features_enabled, trial_days, plan_order, is_team_plan)
VALUES
('free', 'Free', 0,
 5, 100, 100, 10,
 0, FALSE,
 TRUE, FALSE, TRUE, TRUE,
 FALSE, FALSE, FALSE,
 30, FALSE, 0, 1, FALSE),
('basic', 'Basic', 9,
 100, 2000, 2000, 200,
 20, TRUE,
 FALSE, TRUE, TRUE, TRUE,
 TRUE, FALSE, FALSE,
 180, FALSE, 14, 2, FALSE),
('premium', 'Premium', 29,
 500, NULL, NULL, 1000,
 200, TRUE,
 FALSE, TRUE, TRUE, TRUE,
 TRUE, TRUE, TRUE,
 365, FALSE, 14, 3, FALSE),
('org', 'Enterprise', 0,
 NULL, NULL, NULL, NULL,
 1000, TRUE,
 FALSE, TRUE, TRUE, TRUE,
 TRUE, TRUE, TRUE,
 1825, TRUE, 30, 4, TRUE);
--> statement-breakpoint
-- Request rate per plan (seed 002 rate_limit_configs); per-API-key rows are added by admins.
INSERT INTO "plans"."rate_limit_configs" (plan_key, max_requests, window_seconds) VALUES
('free', 120, 60),
('basic', 600, 60),
('premium', 1200, 60),
('org', 3000, 60);
--> statement-breakpoint
-- Seed 001 §6-2: every plan change of a user is logged with the labels and prices of both plans.
CREATE OR REPLACE FUNCTION "plans"."log_plan_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.plan_key IS DISTINCT FROM OLD.plan_key THEN
    INSERT INTO plans.user_plan_history (
      user_id, old_plan_key, new_plan_key,
      old_plan_label, new_plan_label,
      old_price_usd, new_price_usd,
      was_trial, effective_from
    )
    SELECT OLD.user_id,
           OLD.plan_key, NEW.plan_key,
           (SELECT plan_label FROM plans.plan_catalog WHERE plan_key = OLD.plan_key),
           (SELECT plan_label FROM plans.plan_catalog WHERE plan_key = NEW.plan_key),
           (SELECT monthly_price_usd FROM plans.plan_catalog WHERE plan_key = OLD.plan_key),
           (SELECT monthly_price_usd FROM plans.plan_catalog WHERE plan_key = NEW.plan_key),
           OLD.is_trial_active,
           now();
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "user_plans_log_change"
BEFORE UPDATE ON "plans"."user_plans"
FOR EACH ROW EXECUTE FUNCTION "plans"."log_plan_change"();
