export type {
  Chunk,
  ChunkKind,
  ChunkLocation,
  ChunkOptions,
  ChunkStrategy,
  CountTokens,
} from './chunk.types.js';
export { chunkDocument, DEFAULT_CHUNK_SIZE, DEFAULT_OVERLAP } from './chunk-document.js';
export { estimateTokens } from './count-tokens.js';
