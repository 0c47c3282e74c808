import { join } from 'node:path';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';

/** The LLM gateway: provider registry, one metered call path, embeddings, semantic cache. */
export function createLlmModule(): KeelModule {
  return {
    name: 'llm',
    layer: 'shared',
    dependsOn: ['kernel', 'identity', 'plans'],
    migrations: join(projectRoot, 'src', 'shared', 'llm', 'migrations'),
    encryptedColumns: [
      { schema: 'llm', table: 'api_keys', column: 'key_encrypted', idColumn: 'id', aad: (id) => id },
    ],
  };
}

export const llmModule: KeelModule = createLlmModule();
