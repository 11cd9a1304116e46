/**
 * The browser host: the same services and dispatcher the desktop app runs, under plain Node,
 * behind the loopback bridge, with the renderer opened in the system browser. Used where no
 * Electron binary is available (and by the end-to-end tests).
 *
 *   node out/main/host.js [--port N] [--no-open] [--no-demo] [--persist-secrets [--data-dir DIR]]
 *   Secrets stay in memory unless --persist-secrets is given: then accounts and passwords are
 *   saved in DIR (default: the desktop app's data folder), passwords UNENCRYPTED in a 0600 file
 *   (plain Node has no safeStorage), and app:info reports secretStorage 'plaintext-file'.
 *   SALVAGE_BRIDGE_TOKEN fixes the per-launch token (tests only).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDemoLauncher } from '../../demo/launcher';
import { createDispatcher } from '../../services/dispatcher';
import { createServices } from '../../services/index';
import { setRequestTimeout } from '../../net/http';
import { FileOperationJournal } from '../../operations/journal';
import { FileAccountStore } from '../../persistence/account-store';
import { FileLedgerStore } from '../../persistence/ledger-store';
import { FileWatchStore } from '../../persistence/watch-store';
import { defaultDataDir } from '../../persistence/data-dir';
import { MemoryAccountStore, MemorySecretStore, type AccountStore, type SecretStore } from '../../services/stores';
import { plaintextCipher, Vault } from '../../persistence/vault';
import { startBridge } from './bridge';
import { installSafetyNet } from '../safetyNet';

const here = fileURLToPath(new URL('.', import.meta.url));

function packageVersion(): string {
  for (const candidate of [join(here, '../../package.json'), join(here, '../package.json')]) {
    if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

function openInBrowser(url: string): Promise<boolean> {
  const command =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : ['xdg-open', url];
  return new Promise((resolve) => {
    try {
      const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      'persist-secrets': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  // How long a server may take to answer each request (seconds; default 30).
  if (process.env.SALVAGE_TIMEOUT) setRequestTimeout(Number(process.env.SALVAGE_TIMEOUT));
  // Opt-in only: without the flag nothing is written and secrets live for this session.
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const persist = values['persist-secrets'];
  const accounts: AccountStore = persist
    ? new FileAccountStore(join(dataDir, 'accounts.json'))
    : new MemoryAccountStore();
  const secrets: SecretStore = persist
    ? new Vault({ file: join(dataDir, 'secrets-plaintext.json'), cipher: plaintextCipher })
    : new MemorySecretStore();
  console.log(
    persist
      ? `Saving accounts in ${dataDir}; passwords are saved UNENCRYPTED (file readable only by you) because --persist-secrets was given.`
      : 'Passwords are kept in memory for this session only (start with --persist-secrets to save them).',
  );
  for (const notice of [...(accounts.notices?.() ?? []), ...(secrets.notices?.() ?? [])]) console.warn(notice.message);
  const services = createServices({
    host: 'browser',
    version: packageVersion(),
    platform: process.platform,
    accounts,
    secrets,
    // With a data folder, batches cut short (the host killed, the machine off) resume next time.
    journal: persist ? new FileOperationJournal(dataDir) : null,
    // Salvage's record of what it moved back to the trash lives with the accounts.
    ...(persist ? { ledger: new FileLedgerStore(join(dataDir, 'moves.json')) } : {}),
    ...(persist ? { watchStore: new FileWatchStore(join(dataDir, 'watch.json')) } : {}),
    demo: createDemoLauncher(),
  });
  // An error that escapes every handler must not end the host: running batches are stopped and
  // journaled for Resume, the page gets 'app:problem', the terminal the stack.
  installSafetyNet(process, {
    interrupt: (reason) => services.runner.interruptRunning(reason),
    bus: services.bus,
    log: (line) => console.error(line),
  });
  // The watch runs while the host does; the page shows its alerts as browser notifications.
  services.watch.start();
  const dispatch = createDispatcher({
    handlers: services.handlers,
    isTrustedCaller: () => true, // the bridge has already checked token, Host and Origin
    onInternalError: (channel, error) => console.error(`[salvage] ${channel} failed:`, error),
  });
  const staticDir = join(here, '../renderer');
  const bridge = await startBridge({
    dispatch,
    bus: services.bus,
    staticDir: existsSync(staticDir) ? staticDir : null,
    ...(process.env.SALVAGE_BRIDGE_TOKEN ? { token: process.env.SALVAGE_BRIDGE_TOKEN } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
  });

  if (!values['no-demo'] && services.accounts.list().length === 0) {
    try {
      const demo = await services.accounts.openDemo();
      console.log(`Nothing configured yet: opened ${demo.length} demo account(s) backed by local test servers.`);
    } catch (e) {
      console.warn('Could not start the demo servers:', e instanceof Error ? e.message : e);
    }
  }

  console.log(`Salvage (browser host) is running at ${bridge.url}`);
  console.log(`SALVAGE_BRIDGE_URL=${bridge.url}`);
  const opened = !values['no-open'] && (await openInBrowser(bridge.launchUrl));
  console.log(
    `${opened ? 'Asked your browser to open it. If no window appeared, open' : 'Open'} this address (it carries this launch's access token):\n  ${bridge.launchUrl}`,
  );

  const stop = () => {
    services.watch.stop();
    void bridge.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error('Salvage could not start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
