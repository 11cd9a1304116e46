import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebDavServer, type WebDavServer } from '../../demo/servers/webdav/server';
import { createServices } from '../../services/index';
import { MemoryAccountStore, MemorySecretStore } from '../../services/stores';
import { fetchNextcloudUser, LoginFlowSessions, pollLoginFlow, sameOrigin, startLoginFlow } from './loginFlow';

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
    await expect(fetchNextcloudUser(server.url, got!.loginName, got!.appPassword)).resolves.toEqual({
      userId: 'alice',
      displayName: 'Alice Adams',
    });
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

/**
 * A server that plays Login Flow v2 but names other addresses in its answers: the poll answer's
 * `server` (an https → http downgrade, another host, another port), or the poll endpoint and
 * login page of the start answer. Each is refused with a sentence; nothing reaches `complete`.
 */
describe('Login Flow keeps the scheme and origin the user asked for', () => {
  let server: Server;
  let base: string;
  let answer: { start?: (base: string) => unknown; poll: (base: string) => unknown };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const json =
        req.url === '/index.php/login/v2'
          ? (answer.start?.(base) ?? {
              poll: { token: 't', endpoint: `${base}/index.php/login/v2/poll` },
              login: `${base}/index.php/login/v2/flow/x`,
            })
          : answer.poll(base);
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(json));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const signIn = async () => {
    const completed: unknown[] = [];
    const sessions = new LoginFlowSessions(async (c) => void completed.push(c));
    const { flowId } = await sessions.start(base);
    const outcome = await sessions.poll(flowId).then(
      () => null,
      (e: unknown) => e,
    );
    return { completed, outcome };
  };

  it('takes the address the server reports on the same origin (a sub-folder included)', async () => {
    answer = { poll: (b) => ({ server: `${b}/nextcloud`, loginName: 'alice', appPassword: 'p' }) };
    const { completed, outcome } = await signIn();
    expect(outcome).toBeNull();
    expect(completed).toEqual([{ serverUrl: `${base}/nextcloud`, loginName: 'alice', appPassword: 'p' }]);
  });

  it('refuses a poll answer on another host or port, saying which and that the app password was not used', async () => {
    for (const other of ['http://evil.example', base.replace(/:(\d+)$/, (_, p: string) => `:${Number(p) + 1}`)]) {
      answer = { poll: () => ({ server: other, loginName: 'alice', appPassword: 'p' }) };
      const { completed, outcome } = await signIn();
      expect(completed).toEqual([]);
      expect(outcome).toMatchObject({
        code: 'BAD_RESPONSE',
        message: expect.stringContaining(`on another server (${new URL(other).origin}), not ${base}`),
      });
      expect((outcome as Error).message).toContain('app password the server just made for Salvage was not used');
    }
  });

  it('refuses a start answer whose poll endpoint or login page is on another origin', async () => {
    answer = {
      start: (b) => ({
        poll: { token: 't', endpoint: 'http://evil.example/poll' },
        login: `${b}/index.php/login/v2/flow/x`,
      }),
      poll: () => ({}),
    };
    await expect(startLoginFlow(base)).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('sign-in poll address on another server'),
    });
    answer = {
      start: (b) => ({ poll: { token: 't', endpoint: `${b}/poll` }, login: 'javascript:alert(1)' }),
      poll: () => ({}),
    };
    await expect(startLoginFlow(base)).rejects.toMatchObject({ message: expect.stringContaining('not a web address') });
  });

  it('calls an https → http answer a downgrade and says where the setting is', () => {
    expect(() => sameOrigin('https://cloud.example.com', 'http://cloud.example.com', 'server address')).toThrow(
      /plain http:\/\/ server address \(http:\/\/cloud\.example\.com\) although you asked for https:\/\/cloud\.example\.com.*overwriteprotocol/,
    );
    expect(() =>
      sameOrigin('https://cloud.example.com', 'https://cloud.example.com:8443/nc', 'server address'),
    ).toThrow(/another server \(https:\/\/cloud\.example\.com:8443\)/);
    expect(sameOrigin('https://cloud.example.com', 'https://cloud.example.com:443/nc', 'server address').pathname).toBe(
      '/nc',
    );
  });
});
