import type { DemoAccount } from '../../../services/accounts';
import { serve } from '../http';
import { createDocSpace } from './api';
import { DEMO_KEY, seedDemoPortal } from './seed';

/**
 * Demo mode's DocSpace portal: rooms, My documents and a few hundred trashed items, with a little
 * latency. The seed is relative to `now`, read once by the caller (tests pass a fixed one). No
 * control API: nothing resets, seeds or breaks a demo server from outside.
 */
export async function startDocSpaceDemo(now: number): Promise<DemoAccount[]> {
  const portal = createDocSpace({ seed: (state) => seedDemoPortal(state, now), opItemMs: 40 });
  let baseUrl = '';
  const server = await serve(
    portal.handler(() => baseUrl),
    { latencyMs: 30 },
  );
  baseUrl = server.url;
  return [
    { kind: 'docspace', serverUrl: server.url, user: '', secret: DEMO_KEY, label: 'DocSpace demo (Dana Morgan)' },
  ];
}
