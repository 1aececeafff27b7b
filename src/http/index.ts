export { buildApp, type AppDeps, type AppOptions } from './app.js';
export { HttpProblem } from './problem.js';
export { buildWitnessApp, type WitnessAppOptions } from './witness-app.js';
export { buildHubApp } from './hub-app.js';
