export { type AppDeps, buildApp, type KeelApp } from './app.js';
export { type Problem, problemContentType, problemType, sendProblem, toKeelError } from './problem.js';
