import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Check, Minus } from 'lucide-react';
import { type FormEvent, useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import type { Plan, RateLimit } from '../../api/types';
import { type MessageKey, useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { SelectField, TextField } from '../../ui/field';
import { QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useToast } from '../../ui/toast';

const limits: Array<[keyof Plan, MessageKey]> = [
  ['max_commits_per_day', 'admin.plans.commitsDay'],
  ['max_commits_per_month', 'admin.plans.commitsMonth'],
  ['max_describes_per_month', 'admin.plans.describesMonth'],
  ['max_uploads_per_day', 'admin.plans.uploadsDay'],
  ['kakao_noti_remaining', 'admin.plans.kakao'],
  ['data_retention_days', 'admin.plans.retention'],
];
const features: Array<[keyof Plan, MessageKey]> = [
  ['slack_enabled', 'admin.plans.slack'],
  ['instant_commit_generation', 'admin.plans.instant'],
  ['commit_report_enabled', 'admin.plans.reports'],
  ['visualization_report_enabled', 'admin.plans.visualization'],
  ['prompt_personalization_enabled', 'admin.plans.personalization'],
  ['team_features_enabled', 'admin.plans.teams'],
];

export default function PlansPage() {
  const { t, number } = useI18n();
  const catalog = useQuery({ queryKey: ['plans', 'catalog'], queryFn: () => unwrap(api.GET('/plans/')) });
  return (
    <>
      <PageHeader title={t('admin.plans.title')} description={t('admin.plans.description')} />
      <div className="flex flex-col gap-5">
        <QueryView query={catalog}>
          {(data) => (
            <div className="grid gap-4 sm:grid-cols-2 2xl:grid-cols-4">
              {data.plans.map((plan) => (
                <section key={plan.plan_key} className="rounded-lg border border-border bg-surface p-4">
                  <header className="mb-3 flex items-start justify-between gap-2">
                    <div>
                      <h2 className="font-semibold">{plan.plan_label}</h2>
                      <code className="text-xs text-muted">{plan.plan_key}</code>
                    </div>
                    <p className="text-right">
                      <span className="text-lg font-semibold">
                        {number(plan.monthly_price_usd, { style: 'currency', currency: 'USD' })}
                      </span>
                      <span className="block text-xs text-muted">{t('admin.plans.perMonth')}</span>
                    </p>
                  </header>
                  <dl className="grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 text-sm">
                    {limits.map(([field, label]) => (
                      <div key={field} className="contents">
                        <dt className="text-muted">{t(label)}</dt>
                        <dd className="text-right tabular-nums">
                          {plan[field] === null ? t('admin.plans.unlimited') : number(Number(plan[field]))}
                        </dd>
                      </div>
                    ))}
                  </dl>
                  <ul className="mt-3 flex flex-col gap-1 border-t border-border pt-3 text-sm">
                    {features.map(([field, label]) => (
                      <li key={field} className="flex items-center gap-2">
                        {plan[field] ? (
                          <Check aria-label={t('common.yes')} className="size-4 text-ok" />
                        ) : (
                          <Minus aria-label={t('common.no')} className="size-4 text-muted" />
                        )}
                        <span className={plan[field] ? undefined : 'text-muted'}>{t(label)}</span>
                      </li>
                    ))}
                  </ul>
                  {plan.trial_days > 0 && (
                    <div className="mt-3">
                      <Badge tone="accent">{t('admin.plans.trialDays', { days: plan.trial_days })}</Badge>
                    </div>
                  )}
                </section>
              ))}
            </div>
          )}
        </QueryView>
        <div className="grid gap-5 xl:grid-cols-2">
          <RateLimits plans={catalog.data?.plans ?? []} />
          <GrantCredits />
        </div>
      </div>
    </>
  );
}

function RateLimits({ plans }: { plans: readonly Plan[] }) {
  const { t, date } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const key = ['plans', 'rate-limits'];
  const rateLimits = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/plans/rate-limits')) });
  const [planKey, setPlanKey] = useState('free');
  const [max, setMax] = useState('120');
  const [windowS, setWindowS] = useState('60');
  // The form starts from the chosen plan's limit in force.
  const current = rateLimits.data?.rate_limits.find((r) => r.plan_key === planKey);
  useEffect(() => {
    if (!current) return;
    setMax(String(current.max_requests));
    setWindowS(String(current.window_seconds));
  }, [current]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/plans/rate-limits', {
          body: { plan_key: planKey, max_requests: Number(max), window_seconds: Number(windowS) },
        }),
      ),
    onSuccess: () => {
      toast.ok(t('common.saved'));
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const server = formErrors(save.error, ['body.max_requests', 'body.window_seconds', 'body.plan_key']);
  const columns: Column<RateLimit>[] = [
    {
      key: 'who',
      header: t('admin.plans.appliesTo'),
      cell: (r) =>
        r.plan_key ? <Badge>{r.plan_key}</Badge> : <code className="text-xs">{r.api_key_id}</code>,
    },
    {
      key: 'limit',
      header: t('admin.plans.limit'),
      cell: (r) => t('admin.plans.perWindow', { max: r.max_requests, seconds: r.window_seconds }),
    },
    { key: 'updated', header: t('common.updated'), wide: true, cell: (r) => date(r.updated_at) },
  ];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Panel title={t('admin.plans.rateLimits')} description={t('admin.plans.rateLimitsHint')}>
      <QueryView query={rateLimits}>
        {(data) => (
          <div className="flex flex-col gap-4">
            <p className="text-sm text-muted">
              {t('admin.plans.default', {
                max: data.default.max_requests,
                seconds: data.default.window_seconds,
              })}
            </p>
            <DataTable
              caption={t('admin.plans.rateLimits')}
              columns={columns}
              rows={data.rate_limits}
              rowKey={(r) => r.plan_key ?? r.api_key_id ?? ''}
            />
          </div>
        )}
      </QueryView>
      <form onSubmit={submit} noValidate className="mt-5 flex flex-col gap-3 border-t border-border pt-4">
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField
            label={t('admin.plans.plan')}
            value={planKey}
            onChange={(e) => setPlanKey(e.target.value)}
            options={plans.map((p) => ({ value: p.plan_key, label: p.plan_label }))}
            error={server.byField['body.plan_key']}
          />
          <TextField
            label={t('admin.plans.maxRequests')}
            type="number"
            min={1}
            value={max}
            onChange={(e) => setMax(e.target.value)}
            error={server.byField['body.max_requests']}
          />
          <TextField
            label={t('admin.plans.windowSeconds')}
            type="number"
            min={1}
            value={windowS}
            onChange={(e) => setWindowS(e.target.value)}
            error={server.byField['body.window_seconds']}
          />
        </div>
        <div>
          <Button type="submit" busy={save.isPending}>
            {t('admin.plans.setLimit')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function GrantCredits() {
  const { t } = useI18n();
  const toast = useToast();
  const [owner, setOwner] = useState('');
  const [amount, setAmount] = useState('100');
  const [reason, setReason] = useState('admin:grant');
  const grant = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/plans/credits/grant', {
          body: { owner_id: owner.trim(), amount: Number(amount), reason: reason.trim() },
        }),
      ),
    onSuccess: (result) => toast.ok(t('admin.plans.granted', { balance: result.balance })),
  });
  const server = formErrors(grant.error, ['body.owner_id', 'body.amount', 'body.reason']);
  return (
    <Panel title={t('admin.plans.credits')} description={t('admin.plans.creditsHint')}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          grant.mutate();
        }}
        className="flex flex-col gap-3"
      >
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <TextField
          label={t('admin.plans.owner')}
          value={owner}
          onChange={(e) => setOwner(e.target.value)}
          placeholder="00000000-0000-0000-0000-000000000000"
          error={server.byField['body.owner_id']}
        />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label={t('admin.plans.amount')}
            type="number"
            min={1}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={server.byField['body.amount']}
          />
          <TextField
            label={t('admin.plans.reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={server.byField['body.reason']}
          />
        </div>
        <div>
          <Button type="submit" busy={grant.isPending}>
            {t('admin.plans.grant')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
