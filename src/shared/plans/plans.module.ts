import { join } from 'node:path';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';

export const plansModule: KeelModule = {
  name: 'plans',
  layer: 'shared',
  dependsOn: ['kernel', 'identity'],
  migrations: join(projectRoot, 'src', 'shared', 'plans', 'migrations'),
};
