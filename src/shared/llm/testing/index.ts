/*
 * Test support for the LLM gateway: fake vendor servers on loopback that the real AI SDK clients
 * talk to. For tests and benchmarks only; production code never imports this folder.
 */
export { DEFAULT_ANTHROPIC_KEY, startFakeAnthropic } from './fake-anthropic.js';
export { DEFAULT_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from './fake-openai.js';
export {
  type Behaviour,
  chunksOf,
  embeddingOf,
  type FakeVendor,
  type FakeVendorOptions,
  type RecordedRequest,
  sampleFromSchema,
  type ToolCallScript,
  tokensOf,
  type UsageScript,
} from './fake-vendor.js';
export { type SdkClient, sdkClients } from './sdk-clients.js';
