export {
  ConfigError,
  envSchema,
  type KeelConfig,
  type LogLevel,
  loadConfig,
  logLevels,
  parseConfig,
} from './config.js';
