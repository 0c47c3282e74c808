export { type Check, type CheckStatus, redactUrl, runDoctor } from './doctor.js';
export { redisPing } from './redis-ping.js';
