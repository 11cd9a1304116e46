import { describe, expect, it } from 'vitest';
import { KIND_IDS, kindInfo } from '../../shared/kinds';
import { providerFactories } from './index';
import { dialects } from './webdav/dialect';

/** The kind registry (shared/kinds.ts) against the providers: what the types promise, checked at run time. */
describe('every kind of the registry has its provider', () => {
  it('one factory per kind, and no factory for a kind the registry does not list', () => {
    expect(Object.keys(providerFactories).sort()).toEqual([...KIND_IDS].sort());
    for (const kind of KIND_IDS) expect(typeof providerFactories[kind], kind).toBe('function');
  });

  it('every WebDAV kind has its dialect, which agrees with the registry (product name, spaces)', () => {
    const webdav = KIND_IDS.filter((k) => kindInfo(k).family === 'webdav');
    expect(Object.keys(dialects).sort()).toEqual(webdav.sort());
    for (const [kind, dialect] of Object.entries(dialects)) {
      const info = kindInfo(dialect.kind);
      expect(dialect.kind).toBe(kind);
      expect(dialect.productName, kind).toBe(info.productName);
      expect(dialect.spaces !== undefined, kind).toBe(info.spaces);
    }
  });
});
