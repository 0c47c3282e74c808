export { createKnowledgeModule, knowledgeModule } from './knowledge.module.js';
