/**
 * How the renderer reaches main. In Electron the sandboxed preload exposes `window.salvage`;
 * in the browser host the same calls go to the loopback bridge with the per-launch token.
 * Nothing outside this file knows which.
 */
export interface Transport {
  readonly kind: 'electron' | 'browser';
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(event: string, callback: (payload: unknown) => void): () => void;
  /**
   * Called each time the event stream (re)connects: what main sent before was not seen, so a
   * view kept live by events is read again. Electron's IPC loses nothing: never called there.
   */
  onConnected(callback: () => void): () => void;
}

interface PreloadApi {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(name: string, callback: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    salvage?: PreloadApi;
  }
}

const TOKEN_KEY = 'salvage.bridgeToken';

/** Takes the token from the launch URL's fragment once, keeps it for this tab, and clears the address bar. */
function bridgeToken(): string {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function bridgeTransport(): Transport {
  const token = bridgeToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connected = new Set<() => void>();
  let source: EventSource | null = null;
  const connect = () => {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onopen = () => connected.forEach((callback) => callback());
    source.onmessage = (message: MessageEvent<string>) => {
      const { name, payload } = JSON.parse(message.data) as { name: string; payload: unknown };
      for (const callback of listeners.get(name) ?? []) callback(payload);
    };
  };
  return {
    kind: 'browser',
    async invoke(channel, payload) {
      const res = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Salvage-Token': token },
        body: JSON.stringify({ channel, payload }),
      });
      if (res.status === 401) {
        return {
          ok: false,
          error: {
            code: 'FORBIDDEN_SENDER',
            message: 'This page has no valid access token. Open the address Salvage printed when it started.',
          },
        };
      }
      if (!res.ok)
        return { ok: false, error: { code: 'NETWORK', message: `The Salvage host answered HTTP ${res.status}.` } };
      return res.json();
    },
    on(event, callback) {
      connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback);
      return () => set.delete(callback);
    },
    onConnected(callback) {
      connect();
      connected.add(callback);
      return () => connected.delete(callback);
    },
  };
}

export function createTransport(): Transport {
  const preload = window.salvage;
  if (preload) return { kind: 'electron', invoke: preload.invoke, on: preload.on, onConnected: () => () => undefined };
  return bridgeTransport();
}
