export { type Authorize, noIdentity, PUBLIC } from './access.js';
export { type AppDeps, buildApp, type KeelApp, type RouteAccess } from './app.js';
export { type Problem, problemContentType, problemType, sendProblem, toKeelError } from './problem.js';
