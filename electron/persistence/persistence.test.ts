/**
 * The desktop stores under the real services, against the DocSpace and Nextcloud test servers:
 * an account added in one session is there in the next with its secret decrypted from the vault;
 * on a weak keyring it comes back without its secret (sign in again); no secret is ever in the
 * accounts file, and none is in any value the dispatcher returns.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocSpaceServer, TEST_KEYS, type DocSpaceServer } from '../demo/servers/docspace/index';
import { WEBDAV_USERS } from '../demo/servers/webdav/seed';
import { startWebDavServer, type WebDavServer } from '../demo/servers/webdav/server';
import { createDispatcher } from '../services/dispatcher';
import { createServices } from '../services/index';
import { safeStorageCipher, Vault, type SafeStorageLike } from './vault';
import { FileAccountStore } from './account-store';

const safeStorage = (backend: string): SafeStorageLike => ({
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => backend,
  encryptString: (s) => Buffer.concat([Buffer.from('v11'), Buffer.from(s).map((b) => b ^ 0x33)]),
  decryptString: (b) => Buffer.from(b.subarray(3).map((x) => x ^ 0x33)).toString(),
});

/** One app session over userData `dir`, as electron/hosts/desktop/main.ts builds it. */
function session(dir: string, backend = 'gnome_libsecret') {
  const services = createServices({
    host: 'electron',
    version: '0.0.0-test',
    platform: 'linux',
    accounts: new FileAccountStore(join(dir, 'accounts.json')),
    secrets: new Vault({ file: join(dir, 'vault.json'), cipher: safeStorageCipher(safeStorage(backend), 'linux') }),
    journal: null,
    demo: null,
  });
  const dispatch = createDispatcher({ handlers: services.handlers, isTrustedCaller: () => true });
  const seen: string[] = [];
  services.bus.subscribe((name, payload) => seen.push(JSON.stringify({ name, payload })));
  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const result = await dispatch(channel, payload, { frameUrl: 'app://salvage/index.html', isMainFrame: true });
    seen.push(JSON.stringify(result));
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  return { call, seen };
}

let docspace: DocSpaceServer;
let nextcloud: WebDavServer;
const secrets = [TEST_KEYS.alice, WEBDAV_USERS.alice.appPassword];

beforeAll(async () => {
  docspace = await startDocSpaceServer();
  nextcloud = await startWebDavServer({ kind: 'nextcloud' });
});
afterAll(async () => {
  await docspace.close();
  await nextcloud.close();
});

type View = { id: string; kind: string; status: string; secretStorage: string };

describe('accounts and secrets across sessions', () => {
  it('an account added in one session works in the next, its secret coming from the vault', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-persist-'));
    const first = session(dir);
    const ds = await first.call<View>('accounts:add', {
      serverUrl: docspace.url,
      kind: 'docspace',
      secret: TEST_KEYS.alice,
    });
    const nc = await first.call<View>('accounts:add', {
      serverUrl: nextcloud.url,
      kind: 'nextcloud',
      user: 'alice',
      secret: WEBDAV_USERS.alice.appPassword,
    });
    expect([ds.secretStorage, nc.secretStorage]).toEqual(['encrypted', 'encrypted']);

    const second = session(dir);
    const list = await second.call<View[]>('accounts:list');
    expect(list.map((a) => [a.kind, a.secretStorage])).toEqual([
      ['docspace', 'encrypted'],
      ['nextcloud', 'encrypted'],
    ]);
    for (const a of list) {
      const page = await second.call<{ items: unknown[] }>('trash:list', {
        accountId: a.id,
        parentId: null,
        cursor: null,
      });
      expect(page.items.length).toBeGreaterThan(0);
    }
    const info = await second.call<{ secretStorage: string; notices: unknown[] }>('app:info');
    expect(info).toMatchObject({ secretStorage: 'encrypted', notices: [] });

    // Nothing secret on disk in the clear, nothing secret in anything the renderer received.
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const s of secrets) expect(text, file).not.toContain(s);
    }
    for (const s of secrets) expect([...first.seen, ...second.seen].join('\n')).not.toContain(s);
  });

  it('on a weak keyring nothing is saved: the next session asks to sign in again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-persist-weak-'));
    const first = session(dir, 'basic_text');
    const view = await first.call<View>('accounts:add', {
      serverUrl: docspace.url,
      kind: 'docspace',
      secret: TEST_KEYS.alice,
    });
    expect(view.secretStorage).toBe('session');
    const info = await first.call<{ secretStorage: string; notices: { message: string }[] }>('app:info');
    expect(info.secretStorage).toBe('weak-backend');
    expect(info.notices[0]?.message).toMatch(/this session only/);
    expect(readdirSync(dir)).toEqual(['accounts.json']);

    const second = session(dir, 'basic_text');
    const [again] = await second.call<View[]>('accounts:list');
    expect(again).toMatchObject({ status: 'auth-expired', secretStorage: 'none' });
    await expect(second.call('trash:list', { accountId: again!.id, parentId: null, cursor: null })).rejects.toThrow(
      /AUTH_FAILED/,
    );
    await second.call('accounts:reauth', { accountId: again!.id, secret: TEST_KEYS.alice });
    expect((await second.call<View[]>('accounts:list'))[0]).toMatchObject({ status: 'ok', secretStorage: 'session' });
  });

  it('removing an account removes its secret from the vault file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-persist-rm-'));
    const s = session(dir);
    const view = await s.call<View>('accounts:add', {
      serverUrl: docspace.url,
      kind: 'docspace',
      secret: TEST_KEYS.alice,
    });
    expect(readFileSync(join(dir, 'vault.json'), 'utf8')).toContain(view.id);
    await s.call('accounts:remove', { accountId: view.id });
    expect(readFileSync(join(dir, 'vault.json'), 'utf8')).not.toContain(view.id);
    expect(readFileSync(join(dir, 'accounts.json'), 'utf8')).not.toContain(view.id);
  });
});
