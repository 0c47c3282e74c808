import { fileURLToPath } from 'node:url';
import type { MigrationSource } from './kernel/db/index.js';
import type { KeelModule } from './kernel/module/index.js';
import { orderModules } from './kernel/module/index.js';

/** The kernel's own module: its tables (nodes, leadership events, key rotations) and jobs. */
export const kernelModule: KeelModule = {
  name: 'kernel',
  layer: 'kernel',
  dependsOn: [],
  migrations: fileURLToPath(new URL('./kernel/migrations', import.meta.url)),
};

/**
 * Every module of this build, listed explicitly (no auto-loading): registration order is visible
 * here, and `orderModules` checks that dependencies point down and have no cycles.
 */
export const allModules: readonly KeelModule[] = orderModules([kernelModule]);

export function migrationSources(modules: readonly KeelModule[]): MigrationSource[] {
  return modules.flatMap((m) => (m.migrations ? [{ module: m.name, dir: m.migrations }] : []));
}
