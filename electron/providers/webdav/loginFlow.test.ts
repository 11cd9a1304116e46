import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { createServices } from '../../services/index';
import { MemoryAccountStore, MemorySecretStore } from '../../services/stores';
import { fetchNextcloudUser, pollLoginFlow, startLoginFlow } from './loginFlow';

describe('Nextcloud Login Flow v2', () => {
  let server: WebDavServer;
  beforeAll(async () => {
    server = await startWebDavServer({ kind: 'nextcloud' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('starts a flow, waits for the browser, then gets an app password exactly once', async () => {
    const flow = await startLoginFlow(server.url);
    expect(flow.loginUrl).toMatch(new RegExp(`^${server.url}/index.php/login/v2/flow/[0-9a-f]+$`));
    expect(await pollLoginFlow(flow)).toBeNull();
    const page = await fetch(`${flow.loginUrl}?user=alice`);
    expect(page.status).toBe(200);
    const got = await pollLoginFlow(flow);
    expect(got).toMatchObject({ server: server.url, loginName: 'alice' });
    expect(got!.appPassword.length).toBeGreaterThan(20);
    expect(await pollLoginFlow(flow)).toBeNull();
    await expect(fetchNextcloudUser(server.url, got!.loginName, got!.appPassword)).resolves.toEqual({ userId: 'alice', displayName: 'Alice Adams' });
    await expect(fetchNextcloudUser(server.url, 'alice', 'nope')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('adds the account through the services channels', async () => {
    const services = createServices({
      host: 'browser',
      version: 't',
      platform: 'linux',
      accounts: new MemoryAccountStore(),
      secrets: new MemorySecretStore(),
      journal: null,
      demo: null,
    });
    const start = services.handlers['accounts:loginFlowStart'];
    const poll = services.handlers['accounts:loginFlowPoll'];
    const { flowId, loginUrl } = await start({ serverUrl: `${server.url}/` });
    expect(await poll({ flowId })).toEqual({ account: null });
    await fetch(`${loginUrl}?user=alice`);
    const { account } = await poll({ flowId });
    expect(account).toMatchObject({ kind: 'nextcloud', userName: 'Alice Adams', serverUrl: server.url });
    await expect(poll({ flowId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says so when the server has no Login Flow v2', async () => {
    const oc = await startWebDavServer({ kind: 'owncloud10' });
    try {
      await expect(startLoginFlow(oc.url)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    } finally {
      await oc.close();
    }
  });
});
