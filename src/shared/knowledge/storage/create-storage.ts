import { join } from 'node:path';
import type { KeelConfig } from '../../../kernel/config/index.js';
import { createLocalStorage } from './local-storage.js';
import { createS3Storage } from './s3-storage.js';
import type { DocumentStorage } from './storage.types.js';

/** The storage the configuration names (`KNOWLEDGE_STORAGE`); config.ts checked the S3 settings. */
export function createStorage(config: KeelConfig): DocumentStorage {
  const settings = config.settings;
  if (settings.KNOWLEDGE_STORAGE === 's3') {
    return createS3Storage({
      bucket: settings.S3_BUCKET as string,
      region: settings.S3_REGION ?? 'us-east-1',
      endpoint: settings.S3_ENDPOINT,
      credentials: {
        accessKeyId: settings.S3_ACCESS_KEY_ID as string,
        secretAccessKey: settings.S3_SECRET_ACCESS_KEY as string,
      },
    });
  }
  return createLocalStorage(join(config.dataDir, 'documents'));
}
