import { registerConsoleAdminRoutes } from './console-admin.js';
import { registerConsoleAuditRoutes } from './console-audit.js';
import type { ConsoleRouteDeps } from './console-deps.js';
import { registerConsoleOpsRoutes } from './console-ops.js';
import type { TypedApp } from './log.js';

export type { ConsoleRouteDeps } from './console-deps.js';

/** The read APIs of the web console's views: operations, audit, administration (docs/console-api.md). */
export function registerConsoleRoutes(app: TypedApp, deps: ConsoleRouteDeps): void {
  registerConsoleOpsRoutes(app, deps);
  registerConsoleAuditRoutes(app, deps);
  registerConsoleAdminRoutes(app, deps);
}
