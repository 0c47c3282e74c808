import { useI18n } from '../../../i18n/i18n';
import { PageHeader } from '../../../ui/card';
import { ModelsPanel } from './models.panel';
import { ProvidersPanel } from './providers.panel';
import { RoutingPanel } from './routing.panel';

/** The LLM gateway's configuration: providers and their keys, models with prices, routing rules. */
export default function LlmPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('admin.llm.title')} description={t('admin.llm.description')} />
      <div className="flex flex-col gap-5">
        <ProvidersPanel />
        <ModelsPanel />
        <RoutingPanel />
      </div>
    </>
  );
}
