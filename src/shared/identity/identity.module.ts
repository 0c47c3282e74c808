import { join } from 'node:path';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';

export const identityModule: KeelModule = {
  name: 'identity',
  layer: 'shared',
  dependsOn: ['kernel'],
  migrations: join(projectRoot, 'src', 'shared', 'identity', 'migrations'),
};
