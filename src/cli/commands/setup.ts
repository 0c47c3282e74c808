import { ensurePgliteTemplate } from '../../kernel/db/index.js';
import type { Command } from '../command.js';

export const setupCommand: Command = {
  name: 'setup',
  summary:
    'Prepare this installation (run by npm install): an empty embedded database cluster to start from.',
  usage: 'keel setup',
  help: '',
  options: {},
  async run() {
    const started = performance.now();
    try {
      const path = await ensurePgliteTemplate();
      process.stdout.write(
        `keel setup: embedded database template ready (${path}, ${Math.round(performance.now() - started)} ms)\n`,
      );
    } catch (error) {
      // Only an optimisation: without the template the first start runs initdb itself.
      process.stderr.write(
        `keel setup: skipped the embedded database template (${(error as Error).message})\n`,
      );
    }
    return 0;
  },
};
