import type { DemoAccount } from '../../../services/accounts';
import { startWebDavServer } from './server';
import { seedDemoState } from './seed';

const DEMO_USERS = {
  owncloud10: { id: 'demo', displayName: 'Dana Demo', password: 'demo-password', appPassword: 'demo-oc10-app-password' },
  nextcloud: { id: 'demo', displayName: 'Dana Demo', password: 'demo-password', appPassword: 'demo-nc-app-password-xYz12' },
};

/** Demo mode: an ownCloud 10 and a Nextcloud test server with a few hundred realistic trashed items each. */
export async function startWebDavDemo(): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const kind of ['owncloud10', 'nextcloud'] as const) {
    const user = DEMO_USERS[kind];
    const server = await startWebDavServer({ kind, seed: (tree) => seedDemoState(tree, user, kind === 'nextcloud' ? 340 : 280) });
    accounts.push({
      kind,
      serverUrl: server.url,
      user: user.id,
      secret: user.appPassword,
      label: kind === 'nextcloud' ? 'Nextcloud (demo)' : 'ownCloud (demo)',
    });
  }
  return accounts;
}
