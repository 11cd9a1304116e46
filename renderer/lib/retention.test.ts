import { describe, expect, it } from 'vitest';
import { retentionNote } from './retention';

describe('retentionNote', () => {
  it('Nextcloud and ownCloud 10: unknown, with the default "auto" policy spelled out from the deletion date', () => {
    const nc = retentionNote('nextcloud', '2026-11-01T10:00:00.000Z');
    expect(nc.short).toBe('unknown');
    expect(nc.long).toMatch(/^Unknown: Nextcloud does not say\. By default \("auto"\) kept until at least /);
    expect(nc.long).toContain(
      new Date('2026-12-01T10:00:00.000Z').toLocaleDateString(undefined, { dateStyle: 'medium' }),
    ); // 30 days on
    expect(nc.long).toMatch(/deleted when space is needed/);
    expect(retentionNote('owncloud10', null).long).toMatch(
      /^Unknown: ownCloud does not say\. .*at least 30 days after deletion/,
    );
  });
  it('Infinite Scale and DocSpace: unknown, saying who decides', () => {
    expect(retentionNote('ocis', null).long).toMatch(/Infinite Scale does not tell/);
    expect(retentionNote('docspace', null).long).toMatch(/DocSpace gives no date/);
  });
});
