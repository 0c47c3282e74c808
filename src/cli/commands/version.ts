import { keelVersion } from '../../version.js';
import type { Command } from '../command.js';

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the Keel version.',
  usage: 'keel version',
  help: '',
  options: {},
  async run() {
    process.stdout.write(`keel ${keelVersion} (node ${process.versions.node})\n`);
    return 0;
  },
};
