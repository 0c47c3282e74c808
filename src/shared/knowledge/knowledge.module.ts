import { join } from 'node:path';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';

/** Knowledge: knowledge bases, documents, extraction, chunking and BM25 / vector / hybrid search. */
export function createKnowledgeModule(): KeelModule {
  return {
    name: 'knowledge',
    layer: 'shared',
    dependsOn: ['kernel', 'identity', 'plans', 'llm'],
    migrations: join(projectRoot, 'src', 'shared', 'knowledge', 'migrations'),
  };
}

export const knowledgeModule: KeelModule = createKnowledgeModule();
