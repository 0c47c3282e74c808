export { createLog, type Log, redactPaths } from './log.js';
