import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';
import type { KnowledgeBase } from './types';

export const basesKey = ['knowledge-bases'];

export function useBases() {
  return useQuery({
    queryKey: basesKey,
    queryFn: () => unwrap(api.GET('/api/knowledge-bases', { params: { query: { limit: 100 } } })),
  });
}

/** The caller's knowledge bases as a select, and a small form to make a new one. */
export function BasePicker({
  bases,
  value,
  onChange,
}: {
  bases: readonly KnowledgeBase[];
  value: string;
  onChange(id: string): void;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(bases.length === 0);
  const [name, setName] = useState('');
  const [local, setLocal] = useState<string>();
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/knowledge-bases', { body: { name: name.trim() } })),
    onSuccess: async (base) => {
      setName('');
      setCreating(false);
      await queryClient.invalidateQueries({ queryKey: basesKey });
      onChange(base.id);
    },
  });
  const server = formErrors(create.error, ['body.name']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setLocal(t('validation.required'));
    setLocal(undefined);
    create.mutate();
  };
  return (
    <div className="flex flex-col gap-3">
      {bases.length > 0 && (
        <div className="flex flex-wrap items-end gap-2">
          <SelectField
            className="min-w-0 flex-1 sm:max-w-sm"
            label={t('documents.base')}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            options={bases.map((b) => ({ value: b.id, label: b.name }))}
          />
          {!creating && (
            <Button onClick={() => setCreating(true)} icon={<Plus aria-hidden className="size-4" />}>
              {t('documents.newBase')}
            </Button>
          )}
        </div>
      )}
      {creating && (
        <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2">
          {server.general && (
            <Alert kind="error" className="w-full">
              {server.general}
            </Alert>
          )}
          <TextField
            className="min-w-0 flex-1 sm:max-w-sm"
            label={t('documents.baseName')}
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            error={local ?? server.byField['body.name']}
          />
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('documents.createBase')}
          </Button>
          {bases.length > 0 && <Button onClick={() => setCreating(false)}>{t('common.cancel')}</Button>}
        </form>
      )}
    </div>
  );
}
