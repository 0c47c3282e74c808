export {
  type AccessProvider,
  type ActionDefinition,
  type Authorize,
  noIdentity,
  type OrgCaller,
  orgCallerOf,
  type Principal,
  PUBLIC,
} from './access.js';
export { type AppDeps, buildApp, type KeelApp, type RouteAccess } from './app.js';
export { cookieOf } from './cookies.js';
export { jobsReadAction } from './jobs.routes.js';
export { type Problem, problemContentType, problemType, sendProblem, toKeelError } from './problem.js';
