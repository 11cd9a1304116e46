import type { DemoAccount, DemoLauncher } from '../services/accounts';
import { startDocSpaceDemo } from './servers/docspace/demo';
import { startWebDavDemo } from './servers/webdav/demo';

/**
 * Demo mode: starts the protocol-faithful test servers in-process, seeded with realistic
 * trash, and returns one account per server. Each server family adds its starter below.
 * Every seed is relative to one clock reading taken when the demo starts (so a user sees recent
 * deletions and an incident three days ago); `now` fixes it, and so does the environment variable
 * SALVAGE_DEMO_NOW (ms since the epoch or ISO 8601), for reproducible runs and screenshots.
 */
type DemoStarter = (now: number) => Promise<DemoAccount[]>;

const starters: DemoStarter[] = [startDocSpaceDemo, startWebDavDemo];

/** SALVAGE_DEMO_NOW as ms since the epoch, or null when unset or not a time. */
export function demoNowFromEnv(value = process.env.SALVAGE_DEMO_NOW): number | null {
  if (!value) return null;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(t) ? t : null;
}

export function createDemoLauncher(options: { now?: () => number } = {}): DemoLauncher {
  let started: Promise<DemoAccount[]> | null = null;
  return {
    start() {
      if (!started) {
        const now = options.now?.() ?? demoNowFromEnv() ?? Date.now();
        started = Promise.all(starters.map((s) => s(now))).then((lists) => lists.flat());
      }
      return started;
    },
  };
}
