import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api, unwrap } from '../../api/client';
import type { Usage, UsageGroup } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { useTheme } from '../../theme/theme';
import { Card, PageHeader, Panel } from '../../ui/card';
import { SelectField } from '../../ui/field';
import { QueryView } from '../../ui/states';

const ranges = [7, 30, 90] as const;

function useUsage(groupBy: UsageGroup, from: string) {
  return useQuery({
    queryKey: ['llm', 'usage', groupBy, from],
    queryFn: () => unwrap(api.GET('/llm/usage', { params: { query: { group_by: groupBy, from } } })),
  });
}

/** Chart colours from the theme's CSS variables (SVG attributes cannot read var() themselves). */
function useChartColors() {
  const { resolved } = useTheme();
  // Re-read when the theme changes: the variables change with the `dark` class.
  return useMemo(() => {
    const css = getComputedStyle(document.documentElement);
    const read = (name: string) => css.getPropertyValue(name).trim();
    return {
      accent: read('--k-accent'),
      second: resolved === 'dark' ? '#34d399' : '#0d9488',
      grid: read('--k-border'),
      text: read('--k-muted'),
      surface: read('--k-surface'),
      fg: read('--k-fg'),
    };
  }, [resolved]);
}

/** LLM usage: totals, then requests and cost by day, by model and by feature. */
export default function UsagePage() {
  const { t, number } = useI18n();
  const [days, setDays] = useState<(typeof ranges)[number]>(30);
  // Whole days, so the query key (and the cache) does not change every millisecond.
  const from = useMemo(() => {
    const d = new Date();
    d.setUTCHours(0, 0, 0, 0);
    d.setUTCDate(d.getUTCDate() - days + 1);
    return d.toISOString();
  }, [days]);
  const byDay = useUsage('day', from);
  const byModel = useUsage('model', from);
  const byFeature = useUsage('feature', from);
  const usd = (v: number) => number(v, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

  return (
    <>
      <PageHeader
        title={t('admin.usage.title')}
        description={t('admin.usage.description')}
        actions={
          <SelectField
            label={t('admin.usage.period')}
            value={String(days)}
            onChange={(e) => setDays(Number(e.target.value) as (typeof ranges)[number])}
            options={ranges.map((d) => ({ value: String(d), label: t('admin.usage.lastDays', { days: d }) }))}
          />
        }
      />
      <div className="flex flex-col gap-5">
        <QueryView query={byDay}>
          {(data) => (
            <>
              <Totals usage={data} usd={usd} />
              <Panel title={t('admin.usage.byDay')}>
                {data.rows.length === 0 ? (
                  <p className="py-8 text-center text-sm text-muted">{t('admin.usage.empty')}</p>
                ) : (
                  <DayChart usage={data} from={from} />
                )}
              </Panel>
            </>
          )}
        </QueryView>
        <div className="grid gap-5 xl:grid-cols-2">
          <Panel title={t('admin.usage.byModel')}>
            <QueryView query={byModel} isEmpty={(d) => d.rows.length === 0} empty={t('admin.usage.empty')}>
              {(data) => <GroupChart usage={data} />}
            </QueryView>
          </Panel>
          <Panel title={t('admin.usage.byFeature')}>
            <QueryView query={byFeature} isEmpty={(d) => d.rows.length === 0} empty={t('admin.usage.empty')}>
              {(data) => <GroupChart usage={data} />}
            </QueryView>
          </Panel>
        </div>
      </div>
    </>
  );
}

function Totals({ usage, usd }: { usage: Usage; usd(v: number): string }) {
  const { t, number } = useI18n();
  const { totals } = usage;
  const items = [
    { label: t('admin.usage.requests'), value: number(totals.requests) },
    { label: t('admin.usage.failed'), value: number(totals.failed) },
    { label: t('admin.usage.tokens'), value: number(totals.prompt_tokens + totals.completion_tokens) },
    { label: t('admin.usage.cost'), value: usd(totals.cost_usd) },
    { label: t('admin.usage.saved'), value: usd(totals.saved_usd) },
    {
      label: t('admin.usage.cacheRate'),
      value: number(totals.cache_hit_rate, { style: 'percent', maximumFractionDigits: 1 }),
    },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6">
      {items.map((item) => (
        <Card key={item.label} className="px-4 py-3">
          <dt className="text-xs text-muted">{item.label}</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums">{item.value}</dd>
        </Card>
      ))}
    </dl>
  );
}

function tooltipStyle(colors: ReturnType<typeof useChartColors>) {
  return {
    contentStyle: {
      background: colors.surface,
      border: `1px solid ${colors.grid}`,
      borderRadius: 8,
      color: colors.fg,
    },
    labelStyle: { color: colors.fg },
  };
}

type UsageRow = Usage['rows'][number];

/** One row per UTC day from `from` to today: days without calls are zeros, not missing bars. */
function everyDay(rows: readonly UsageRow[], from: string): UsageRow[] {
  const byDay = new Map(rows.map((r) => [r.key.slice(0, 10), r]));
  const out: UsageRow[] = [];
  const empty = {
    requests: 0,
    failed: 0,
    cache_hits: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    cost_usd: 0,
    saved_usd: 0,
  };
  for (let d = new Date(from); d.getTime() <= Date.now(); d.setUTCDate(d.getUTCDate() + 1)) {
    const key = d.toISOString().slice(0, 10);
    out.push(byDay.get(key) ?? { key, ...empty });
  }
  return out;
}

function DayChart({ usage, from }: { usage: Usage; from: string }) {
  const { t, date } = useI18n();
  const colors = useChartColors();
  const rows = everyDay(usage.rows, from).map((r) => ({
    ...r,
    label: date(`${r.key.slice(0, 10)}T00:00:00Z`, 'day'),
  }));
  return (
    <figure aria-label={t('admin.usage.byDay')}>
      <div className="h-72">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fill: colors.text, fontSize: 12 }}
              stroke={colors.grid}
              minTickGap={16}
            />
            <YAxis
              yAxisId="requests"
              tick={{ fill: colors.text, fontSize: 12 }}
              stroke={colors.grid}
              allowDecimals={false}
            />
            <YAxis
              yAxisId="cost"
              orientation="right"
              tick={{ fill: colors.text, fontSize: 12 }}
              stroke={colors.grid}
            />
            <Tooltip {...tooltipStyle(colors)} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar
              yAxisId="requests"
              dataKey="requests"
              name={t('admin.usage.requests')}
              fill={colors.accent}
              radius={[3, 3, 0, 0]}
              maxBarSize={28}
              isAnimationActive={false}
            />
            <Line
              yAxisId="cost"
              dataKey="cost_usd"
              name={t('admin.usage.costUsd')}
              stroke={colors.second}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <UsageTable
        usage={usage}
        keyLabel={t('admin.usage.day')}
        formatKey={(k) => date(`${k.slice(0, 10)}T00:00:00Z`, 'date')}
      />
    </figure>
  );
}

function GroupChart({ usage }: { usage: Usage }) {
  const { t } = useI18n();
  const colors = useChartColors();
  const rows = [...usage.rows].sort((a, b) => b.requests - a.requests).slice(0, 10);
  return (
    <figure aria-label={usage.group_by}>
      <div style={{ height: Math.max(140, rows.length * 40 + 40) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" horizontal={false} />
            <XAxis
              type="number"
              tick={{ fill: colors.text, fontSize: 12 }}
              stroke={colors.grid}
              allowDecimals={false}
            />
            <YAxis
              type="category"
              dataKey="key"
              width={120}
              tick={{ fill: colors.text, fontSize: 12 }}
              stroke={colors.grid}
            />
            <Tooltip {...tooltipStyle(colors)} />
            <Bar
              dataKey="requests"
              name={t('admin.usage.requests')}
              fill={colors.accent}
              radius={[0, 3, 3, 0]}
              maxBarSize={24}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <UsageTable usage={usage} keyLabel={usage.group_by} formatKey={(k) => k} />
    </figure>
  );
}

/** The same numbers as the chart, as a table (for screen readers and exact values). */
function UsageTable({
  usage,
  keyLabel,
  formatKey,
}: {
  usage: Usage;
  keyLabel: string;
  formatKey(k: string): string;
}) {
  const { t, number } = useI18n();
  return (
    <details className="mt-3 text-sm">
      <summary className="cursor-pointer text-muted">{t('admin.usage.asTable')}</summary>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left text-xs">
          <thead className="text-muted">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">
                {keyLabel}
              </th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">
                {t('admin.usage.requests')}
              </th>
              <th scope="col" className="py-1 pr-3 text-right font-medium">
                {t('admin.usage.tokens')}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t('admin.usage.costUsd')}
              </th>
            </tr>
          </thead>
          <tbody>
            {usage.rows.map((r) => (
              <tr key={r.key} className="border-t border-border">
                <td className="py-1 pr-3">{formatKey(r.key)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{number(r.requests)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">
                  {number(r.prompt_tokens + r.completion_tokens)}
                </td>
                <td className="py-1 text-right tabular-nums">
                  {number(r.cost_usd, { maximumFractionDigits: 6 })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
