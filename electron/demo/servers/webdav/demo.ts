import type { DemoAccount } from '../../../services/accounts';
import { serve } from '../http';
import { createWebDav } from './instance';
import { seedDemoIncident, seedDemoState, seedOcisSpaces } from './seed';

const DEMO_USERS = {
  owncloud10: {
    id: 'demo',
    displayName: 'Dana Demo',
    password: 'demo-password',
    appPassword: 'demo-oc10-app-password',
  },
  nextcloud: {
    id: 'demo',
    displayName: 'Dana Demo',
    password: 'demo-password',
    appPassword: 'demo-nc-app-password-xYz12',
  },
  ocis: { id: 'demo', displayName: 'Dana Demo', password: 'demo-password', appPassword: 'demo-ocis-app-token-Qw7e' },
};

const LABELS = { owncloud10: 'ownCloud (demo)', nextcloud: 'Nextcloud (demo)', ocis: 'Infinite Scale (demo)' } as const;

/**
 * Demo mode: an ownCloud 10, a Nextcloud and an Infinite Scale test server with a few hundred
 * realistic trashed items each; on Infinite Scale also project spaces where Dana is manager,
 * editor and viewer; on Nextcloud also an incident (seedDemoIncident) among months of deletions.
 * Every seed is relative to `now`, read once by the caller (the launcher: the time the demo
 * opens, so a user sees a recent incident; tests: a fixed time).
 */
export async function startWebDavDemo(now: number): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const kind of ['owncloud10', 'nextcloud', 'ocis'] as const) {
    const user = DEMO_USERS[kind];
    const { frontEnd } = createWebDav({
      kind,
      seed: (tree) => {
        seedDemoState(tree, user, kind === 'nextcloud' ? 340 : kind === 'ocis' ? 260 : 280, now);
        if (kind === 'ocis') seedOcisSpaces(tree, user.id, now - 3 * 86_400_000);
        if (kind === 'nextcloud') seedDemoIncident(tree, user.id, 150, now);
      },
    });
    // No control API in demo mode: nothing resets, seeds or breaks a demo server from outside.
    const server = await serve(frontEnd.handle);
    accounts.push({ kind, serverUrl: server.url, user: user.id, secret: user.appPassword, label: LABELS[kind] });
  }
  return accounts;
}
