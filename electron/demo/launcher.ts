import type { DemoAccount, DemoLauncher } from '../services/accounts';
import { startDocSpaceDemo } from './servers/docspace/demo';
import { startWebDavDemo } from './servers/webdav/demo';

/**
 * Demo mode: starts the protocol-faithful test servers in-process, seeded with realistic
 * trash, and returns one account per server. Each server family adds its starter below.
 */
type DemoStarter = () => Promise<DemoAccount[]>;

const starters: DemoStarter[] = [
  startDocSpaceDemo,
  startWebDavDemo,
];

export function createDemoLauncher(): DemoLauncher {
  let started: Promise<DemoAccount[]> | null = null;
  return {
    start() {
      started ??= Promise.all(starters.map((s) => s())).then((lists) => lists.flat());
      return started;
    },
  };
}
