export { advisoryLockKeys, withAdvisoryLock } from './advisory-lock.js';
export {
  type Database,
  type DedicatedConnection,
  type OpenOptions,
  openDatabase,
  openPglite,
  openPostgres,
  type PoolStats,
  type SqlConnection,
} from './database.js';
export { EmbeddedDatabaseBusyError, embeddedLockHolder } from './embedded-lock.js';
export {
  describeOffExtension,
  detectExtensions,
  type ExtensionName,
  type ExtensionStatus,
  quoteIdent,
  wantedExtensions,
} from './extensions.js';
export {
  type MigrateResult,
  type Migration,
  type MigrationSource,
  migrate,
  pendingMigrations,
  readMigrations,
} from './migrate.js';
export { ensurePgliteTemplate, pgliteTemplatePath } from './pglite-template.js';
