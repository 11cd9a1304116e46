import type { Page, Response } from '@playwright/test';
import type { HostHandle } from './fixtures';

/**
 * Watches everything the renderer can see during an end-to-end run — every bridge response the
 * page receives, every server-sent event, every result of calls the test makes itself, and at
 * the end the page's DOM and web storage — for the test accounts' secrets, in the forms they
 * could leak in (as typed, JSON-escaped, URL-encoded, inside an HTTP Basic header, and the first
 * twelve characters of a long key).
 *
 *   const watch = new SecretWatch([TEST_KEYS.alice], { users: ['alice'] });
 *   await watch.attach(page, host);
 *   const invoke = watch.invoker(host);
 *   … drive the app …
 *   await watch.finish(page);   // throws, listing every place a secret appeared
 */
export interface Leak {
  where: string;
  form: string;
  excerpt: string;
}

export class SecretWatch {
  readonly leaks: Leak[] = [];
  /** How much was looked at, so a test can prove the watch was not blind. */
  readonly seen = { responses: 0, events: 0, calls: 0 };
  private needles: { form: string; text: string }[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private sse: AbortController | null = null;
  private sseText = '';
  private sseDone: Promise<void> | null = null;

  constructor(secrets: string[], options: { users?: string[] } = {}) {
    for (const secret of secrets) {
      this.needles.push({ form: 'raw', text: secret });
      this.needles.push({ form: 'json', text: JSON.stringify(secret).slice(1, -1) });
      this.needles.push({ form: 'url-encoded', text: encodeURIComponent(secret) });
      this.needles.push({ form: 'base64', text: Buffer.from(secret).toString('base64').replace(/=+$/, '') });
      for (const user of options.users ?? []) {
        this.needles.push({
          form: `basic-auth(${user})`,
          text: Buffer.from(`${user}:${secret}`).toString('base64').replace(/=+$/, ''),
        });
      }
      if (secret.length >= 16) this.needles.push({ form: 'prefix', text: secret.slice(0, 12) });
    }
    // One report per leak: drop forms that spell the same text as an earlier one.
    const seen = new Set<string>();
    this.needles = this.needles.filter((n) => !seen.has(n.text) && (seen.add(n.text), true));
  }

  /** Scans one piece of renderer-visible text. */
  check(where: string, text: string): void {
    for (const needle of this.needles) {
      const at = text.indexOf(needle.text);
      if (at >= 0) {
        this.leaks.push({
          where,
          form: needle.form,
          excerpt: text.slice(Math.max(0, at - 60), at + needle.text.length + 60).replace(needle.text, '«SECRET»'),
        });
      }
    }
  }

  /** Starts watching the page's bridge responses and the host's event stream. */
  async attach(page: Page, host: HostHandle): Promise<void> {
    page.on('response', (response: Response) => {
      const url = new URL(response.url());
      if (!url.pathname.startsWith('/api/') || url.pathname === '/api/events') return;
      const read = response
        .text()
        .then((text) => {
          this.seen.responses++;
          this.check(`page response ${url.pathname}`, text);
        })
        .catch(() => undefined);
      this.pending.add(read);
      void read.finally(() => this.pending.delete(read));
    });
    // The bridge sends every event to every subscriber: one more subscriber sees what the page sees.
    this.sse = new AbortController();
    const res = await fetch(`${host.url}/api/events?token=${encodeURIComponent(host.token)}`, {
      signal: this.sse.signal,
    });
    if (!res.ok || !res.body) throw new Error(`could not subscribe to events: HTTP ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    this.sseDone = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const chunk = decoder.decode(value, { stream: true });
          this.sseText += chunk;
          this.seen.events += (chunk.match(/^data: /gm) ?? []).length;
        }
      } catch {
        /* aborted at finish */
      }
    })();
  }

  /** host.invoke, with every result and every error message scanned. */
  invoker(host: HostHandle) {
    return async <T = unknown>(channel: string, payload: unknown = {}): Promise<T> => {
      this.seen.calls++;
      try {
        const value = await host.invoke<T>(channel, payload);
        this.check(`result of ${channel}`, JSON.stringify(value));
        return value;
      } catch (e) {
        this.check(`error of ${channel}`, String(e instanceof Error ? e.message : e));
        throw e;
      }
    };
  }

  /** Stops watching, scans the event stream, the DOM and web storage, and throws on any leak. */
  async finish(page: Page): Promise<void> {
    await Promise.all([...this.pending]);
    this.sse?.abort();
    await this.sseDone;
    this.check('event stream', this.sseText);
    const visible = await page.evaluate(() => {
      const fields = [...document.querySelectorAll('input, textarea')].map((el) => (el as HTMLInputElement).value);
      const storage = (s: Storage) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`);
      return {
        dom: document.documentElement.outerHTML,
        fields: fields.join('\n'),
        storage: [...storage(localStorage), ...storage(sessionStorage)].join('\n'),
        title: document.title,
      };
    });
    this.check('page DOM', visible.dom);
    this.check('form fields left on screen', visible.fields);
    this.check('web storage', visible.storage);
    if (this.leaks.length) {
      throw new Error(
        `Secrets reached renderer-visible data:\n${this.leaks.map((l) => `  ${l.where} [${l.form}]: …${l.excerpt}…`).join('\n')}`,
      );
    }
  }
}
