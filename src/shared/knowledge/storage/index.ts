export { createStorage } from './create-storage.js';
export { createLocalStorage } from './local-storage.js';
export { createS3Storage, type S3StorageOptions } from './s3-storage.js';
export type { DocumentStorage } from './storage.types.js';
