import { useMutation } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { cx } from '../../ui/cx';
import { SelectField, TextField } from '../../ui/field';
import { EmptyState } from '../../ui/states';
import { useBases } from './bases';
import { snippetParts } from './format';
import type { SearchHit, SearchReply, SearchType } from './types';

const searchTypes: readonly SearchType[] = ['text', 'vector', 'hybrid'];

/** Search the caller's documents: BM25 text, vector or hybrid; hits cite where they come from. */
export default function SearchPage() {
  const { t } = useI18n();
  const bases = useBases();
  const [query, setQuery] = useState('');
  const [type, setType] = useState<SearchType>('hybrid');
  const [baseId, setBaseId] = useState('');
  const [local, setLocal] = useState<string>();
  const [vectorAvailable, setVectorAvailable] = useState(true);
  const search = useMutation({
    mutationFn: (searchType: SearchType) =>
      unwrap(
        api.POST('/api/documents/search', {
          body: {
            query: query.trim(),
            search_type: searchType,
            top_k: 20,
            ...(baseId ? { knowledge_base_ids: [baseId] } : {}),
          },
        }),
      ),
    onSuccess: (reply) => setVectorAvailable(reply.vector_available),
  });
  const server = formErrors(search.error, ['body.query']);
  const run = (searchType: SearchType) => {
    if (!query.trim()) return setLocal(t('validation.required'));
    setLocal(undefined);
    search.mutate(searchType);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    run(type);
  };
  const pick = (next: SearchType) => {
    setType(next);
    if (query.trim() && search.data) run(next);
  };

  return (
    <>
      <PageHeader title={t('documents.search.title')} description={t('documents.search.description')} />
      <Panel title={t('documents.search.query')} className="mb-4">
        <form onSubmit={submit} noValidate className="flex flex-col gap-3">
          <div className="flex flex-wrap items-end gap-2">
            <TextField
              className="min-w-0 flex-1"
              type="search"
              label={t('documents.search.query')}
              value={query}
              maxLength={1000}
              onChange={(e) => setQuery(e.target.value)}
              error={local ?? server.byField['body.query']}
            />
            <Button
              type="submit"
              variant="primary"
              busy={search.isPending}
              icon={<Search aria-hidden className="size-4" />}
            >
              {t('common.search')}
            </Button>
          </div>
          <div className="flex flex-wrap items-end gap-3">
            <fieldset>
              <legend className="mb-1 text-sm font-medium">{t('documents.search.method')}</legend>
              <div className="inline-flex rounded-lg bg-surface-2 p-1">
                {searchTypes.map((s) => {
                  const disabled = s === 'vector' && !vectorAvailable;
                  return (
                    <button
                      key={s}
                      type="button"
                      aria-pressed={type === s}
                      disabled={disabled}
                      onClick={() => pick(s)}
                      className={cx(
                        'rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50',
                        type === s ? 'bg-surface text-fg shadow-sm' : 'text-muted hover:text-fg',
                      )}
                    >
                      {t(`documents.search.types.${s}`)}
                    </button>
                  );
                })}
              </div>
            </fieldset>
            {(bases.data?.items.length ?? 0) > 1 && (
              <SelectField
                className="min-w-0 sm:w-64"
                label={t('documents.base')}
                value={baseId}
                onChange={(e) => setBaseId(e.target.value)}
                options={[
                  { value: '', label: t('documents.search.allBases') },
                  ...(bases.data?.items ?? []).map((b) => ({ value: b.id, label: b.name })),
                ]}
              />
            )}
          </div>
          {!vectorAvailable && (
            <p className="text-xs text-muted">{t('documents.search.vectorUnavailable')}</p>
          )}
        </form>
      </Panel>
      {server.general && (
        <Alert kind="error" className="mb-4">
          {server.general}
        </Alert>
      )}
      {search.data && <Results reply={search.data as SearchReply} />}
    </>
  );
}

function Results({ reply }: { reply: SearchReply }) {
  const { t, number } = useI18n();
  return (
    <Panel
      title={t('documents.search.results')}
      description={t('documents.search.summary', {
        count: reply.hits.length,
        ms: number(Math.round(reply.took_ms)),
      })}
    >
      {reply.hits.length === 0 ? (
        <EmptyState>{t('documents.search.none')}</EmptyState>
      ) : (
        <ol aria-label={t('documents.search.results')} className="flex flex-col gap-3">
          {reply.hits.map((hit) => (
            <Hit key={hit.chunk_id} hit={hit} />
          ))}
        </ol>
      )}
    </Panel>
  );
}

function Hit({ hit }: { hit: SearchHit }) {
  const { t } = useI18n();
  return (
    <li className="rounded-md border border-border p-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="min-w-0 truncate font-medium">{hit.filename}</span>
        <span className="text-xs text-muted">{hit.label}</span>
      </div>
      <p className="mt-1 text-sm break-words" data-testid="snippet">
        {snippetParts(hit.snippet).map((part, i) =>
          part.mark ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
            <mark key={i} className="rounded bg-warn-soft px-0.5 text-fg">
              {part.text}
            </mark>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder
            <span key={i}>{part.text}</span>
          ),
        )}
      </p>
      <div className="mt-2 flex flex-wrap gap-2 text-xs">
        <Badge>{t('documents.search.score', { score: hit.score.toFixed(3) })}</Badge>
        {hit.ranks.text !== undefined && (
          <Badge tone="accent">{t('documents.search.textRank', { rank: hit.ranks.text })}</Badge>
        )}
        {hit.ranks.vector !== undefined && (
          <Badge tone="accent">{t('documents.search.vectorRank', { rank: hit.ranks.vector })}</Badge>
        )}
      </div>
    </li>
  );
}
