export { buildApp, type AppDeps, type AppOptions } from './app.js';
export { HttpProblem } from './problem.js';
