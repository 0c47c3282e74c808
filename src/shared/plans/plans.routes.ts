import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../kernel/errors/index.js';
import { type Principal, PUBLIC } from '../../kernel/http/index.js';
import type { ModuleContext } from '../../kernel/module/index.js';
import type { LedgerEntry } from './credits/credits.service.js';
import {
  catalogResponse,
  creditsQuery,
  creditsResponse,
  grantBody,
  grantResponse,
  myPlanResponse,
  problemSchema,
  rateLimitSchema,
  rateLimitsResponse,
  redeemBody,
  redeemResponse,
  referralCodeResponse,
  setRateLimitBody,
  setUserPlanBody,
  userParams,
  userPlanResponse,
} from './plans.schemas.js';
import type { PlansService } from './plans.service.js';
import type { RateLimitRow } from './rate-limit/rate-limit.repository.js';
import type { PlanChangeRow, UserPlanView } from './subscriptions/subscriptions.service.js';
import type { UsageLine } from './usage/usage.service.js';

/** The RBAC actions of these routes; `plansActions` in plans.module.ts describes each. */
export const actions = {
  read: 'plans.read',
  manage: 'plans.manage',
  creditsRead: 'credits.read',
  creditsManage: 'credits.manage',
  rewardsRead: 'rewards.read',
  rewardsRedeem: 'rewards.redeem',
} as const;

const tags = ['plans'];
// Documented for the OpenAPI reference; error bodies are sent pre-serialized by the kernel.
const problems = (...statuses: Array<400 | 401 | 403 | 404 | 409 | 429>) =>
  Object.fromEntries(statuses.map((s) => [s, problemSchema]));

/**
 * `/plans`: the catalog, the caller's plan and usage, plan assignment, credits, referrals and
 * request rate limits. Thin: validate → (access check by the kernel) → service → serialize.
 */
export function plansRoutes(_ctx: ModuleContext): FastifyPluginAsyncZod {
  return async function plansRoutesPlugin(app) {
    const plans: PlansService = app.plans;
    if (!plans) throw new Error('the plans routes need the plans app hooks (app.plans) registered first');

    app.get(
      '/',
      {
        config: { action: PUBLIC },
        schema: { tags, summary: 'The plan catalog in force', response: { 200: catalogResponse } },
      },
      async () => {
        const catalog = plans.catalog();
        return { plans: [...catalog.plans], loaded_at: catalog.loadedAt.toISOString() };
      },
    );

    app.get(
      '/me',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: "The caller's effective plan (the org's when it applies), trial and usage",
          response: { 200: myPlanResponse, ...problems(401, 403, 429) },
        },
      },
      async (request) => {
        const { effective, lines } = await plans.usage(principalOf(request));
        return {
          plan: effective.plan,
          subject: effective.subject,
          trial: { active: effective.trial.active, ends_at: iso(effective.trial.endsAt) },
          usage: lines.map(usageLine),
        };
      },
    );

    app.get(
      '/users/:userId',
      {
        config: { action: actions.manage },
        schema: {
          tags,
          summary: "A user's plan and plan history (admin)",
          params: userParams,
          response: { 200: userPlanResponse, ...problems(400, 401, 403, 429) },
        },
      },
      async (request) => {
        const { userId } = request.params;
        const [plan, history] = await Promise.all([plans.userPlan(userId), plans.planHistory(userId)]);
        return { plan: userPlan(plan), history: history.map(planChange) };
      },
    );

    app.put(
      '/users/:userId',
      {
        config: { action: actions.manage },
        schema: {
          tags,
          summary: "Set a user's plan, optionally as a trial (admin)",
          params: userParams,
          body: setUserPlanBody,
          response: { 200: userPlanResponse, ...problems(400, 401, 403, 429) },
        },
      },
      async (request) => {
        const { userId } = request.params;
        const { plan_key, trial } = request.body;
        const plan = plans.catalog().get(plan_key);
        if (!plan) throw fieldError('body.plan_key', `"${plan_key}" is not a plan of the catalog`);
        if (trial && plan.trial_days === 0)
          throw fieldError('body.trial', `the ${plan.plan_label} plan has no trial`);
        const saved = await inBody(plans.setUserPlan(userId, plan_key, { trial }));
        return { plan: userPlan(saved), history: (await plans.planHistory(userId)).map(planChange) };
      },
    );

    app.get(
      '/credits',
      {
        config: { action: actions.creditsRead },
        schema: {
          tags,
          summary: 'A credit balance and its newest ledger entries (yours, or any owner with credits.manage)',
          querystring: creditsQuery,
          response: { 200: creditsResponse, ...problems(400, 401, 403, 429) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const ownerId = request.query.owner_id ?? principal.userId;
        if (ownerId !== principal.userId && !principal.actions.has(actions.creditsManage)) {
          throw new KeelError('forbidden', `Reading another owner's credits needs ${actions.creditsManage}.`);
        }
        const [account, entries] = await Promise.all([
          plans.credits.balance(ownerId),
          plans.credits.ledger(ownerId, { limit: request.query.limit, before: request.query.before }),
        ]);
        return {
          owner_id: ownerId,
          balance: account.balance,
          updated_at: iso(account.updatedAt),
          entries: entries.map(ledgerEntry),
        };
      },
    );

    app.post(
      '/credits/grant',
      {
        config: { action: actions.creditsManage },
        schema: {
          tags,
          summary: 'Grant credits to a user or an org (admin)',
          body: grantBody,
          response: { 201: grantResponse, ...problems(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        const { owner_id, amount, reason, reference } = request.body;
        const entry = await inBody(plans.credits.grant(owner_id, amount, reason, reference ?? null));
        return reply.code(201).send({ owner_id, balance: entry.balanceAfter, entry: ledgerEntry(entry) });
      },
    );

    app.get(
      '/referrals/code',
      {
        config: { action: actions.rewardsRead },
        schema: {
          tags,
          summary: 'Your referral code (created on first request)',
          response: { 200: referralCodeResponse, ...problems(401, 403, 429) },
        },
      },
      async (request) => ({ code: await plans.rewards.referralCode(principalOf(request).userId) }),
    );

    app.post(
      '/referrals/redeem',
      {
        config: { action: actions.rewardsRedeem },
        schema: {
          tags,
          summary: "Redeem someone's referral code: both of you are credited, once",
          body: redeemBody,
          response: { 200: redeemResponse, ...problems(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request) => {
        const redeemed = await inBody(
          plans.rewards.redeemReferral(principalOf(request).userId, request.body.code),
        );
        return {
          code: redeemed.code,
          reward: redeemed.reward,
          referrer_reward: redeemed.referrerReward,
          balance: redeemed.balance,
        };
      },
    );

    app.get(
      '/rate-limits',
      {
        config: { action: actions.manage },
        schema: {
          tags,
          summary: 'Request rate limits per plan and per API key (admin)',
          response: { 200: rateLimitsResponse, ...problems(401, 403, 429) },
        },
      },
      async () => ({
        rate_limits: (await plans.rateLimits.list()).map(rateLimit),
        default: await defaultRule(plans),
      }),
    );

    app.put(
      '/rate-limits',
      {
        config: { action: actions.manage },
        schema: {
          tags,
          summary: "Set a plan's or an API key's request rate limit (admin)",
          body: setRateLimitBody,
          response: { 200: z.object({ rate_limit: rateLimitSchema }), ...problems(400, 401, 403, 429) },
        },
      },
      async (request) => {
        const { plan_key, api_key_id, max_requests, window_seconds } = request.body;
        if (plan_key !== undefined && !plans.catalog().get(plan_key)) {
          throw fieldError('body.plan_key', `"${plan_key}" is not a plan of the catalog`);
        }
        const target = plan_key !== undefined ? { planKey: plan_key } : { apiKeyId: api_key_id as string };
        const row = await plans.rateLimits.set(target, {
          maxRequests: max_requests,
          windowSeconds: window_seconds,
        });
        return { rate_limit: rateLimit(row) };
      },
    );
  };
}

function principalOf(request: FastifyRequest): Principal {
  // The kernel's access check has run: a non-public route never reaches here without a principal.
  if (!request.principal) throw new KeelError('unauthorized', 'Sign-in is required.');
  return request.principal;
}

/** Services name fields without saying where they were; here they came from the body. */
async function inBody<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const errors = error instanceof KeelError ? error.details?.errors : undefined;
    if (!(error instanceof KeelError) || !errors) throw error;
    const located = errors.map((e) => ({ ...e, field: `body.${e.field}` }));
    const message =
      error.code === 'validation_failed'
        ? located.map((e) => `${e.field}: ${e.message}`).join('; ')
        : error.message;
    throw new KeelError(error.code, message, {
      details: { ...error.details, errors: located },
      cause: error,
    });
  }
}

function fieldError(field: string, message: string): KeelError {
  return new KeelError('validation_failed', `${field}: ${message}`, {
    details: { errors: [{ field, message }] },
  });
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function usageLine(line: UsageLine) {
  return {
    feature: line.feature,
    period: line.period,
    limit: line.limit,
    used: line.used,
    remaining: line.remaining,
    resets_at: line.resetsAt.toISOString(),
  };
}

function userPlan(view: UserPlanView) {
  return {
    user_id: view.userId,
    plan_key: view.planKey,
    is_trial_active: view.isTrialActive,
    trial_ends_at: iso(view.trialEndsAt),
    started_at: iso(view.startedAt),
    updated_at: iso(view.updatedAt),
  };
}

function planChange(row: PlanChangeRow) {
  return {
    id: row.id,
    old_plan_key: row.oldPlanKey,
    new_plan_key: row.newPlanKey,
    old_plan_label: row.oldPlanLabel,
    new_plan_label: row.newPlanLabel,
    old_price_usd: row.oldPriceUsd,
    new_price_usd: row.newPriceUsd,
    was_trial: row.wasTrial,
    effective_from: row.effectiveFrom.toISOString(),
  };
}

function ledgerEntry(entry: LedgerEntry) {
  return {
    id: entry.id,
    delta: entry.delta,
    balance_after: entry.balanceAfter,
    reason: entry.reason,
    reference: entry.reference,
    created_at: entry.createdAt.toISOString(),
  };
}

function rateLimit(row: RateLimitRow) {
  return {
    plan_key: row.planKey,
    api_key_id: row.apiKeyId,
    max_requests: row.maxRequests,
    window_seconds: row.windowSeconds,
    updated_at: row.updatedAt.toISOString(),
  };
}

async function defaultRule(plans: PlansService) {
  const rule = await plans.rateLimits.ruleFor(null);
  return { max_requests: rule.maxRequests, window_seconds: rule.windowSeconds };
}
