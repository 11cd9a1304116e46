import type { DemoAccount } from '../../../services/accounts';
import { DEMO_KEY, seedDemoPortal } from './seed';
import { startDocSpaceServer } from './server';

/**
 * Demo mode's DocSpace portal: rooms, My documents and a few hundred trashed items, with a little
 * latency. The seed is relative to `now`, read once by the caller (tests pass a fixed one).
 */
export async function startDocSpaceDemo(now: number): Promise<DemoAccount[]> {
  const server = await startDocSpaceServer({ seed: (state) => seedDemoPortal(state, now), latencyMs: 30, opItemMs: 40 });
  return [{ kind: 'docspace', serverUrl: server.url, user: '', secret: DEMO_KEY, label: 'DocSpace demo (Dana Morgan)' }];
}
