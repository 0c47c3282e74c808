export { createLlmModule, llmModule } from './llm.module.js';
