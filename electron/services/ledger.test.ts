import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { itemKey, type TrashItem } from '../../shared/model';
import { detectEvents } from '../../shared/events';
import { FileLedgerStore } from '../persistence/ledger-store';
import type { Landed } from '../providers/types';
import { MemoryLedgerStore, MoveLedger } from './ledger';

/** A fixed clock: every time in these tests is relative to it. */
const T0 = Date.parse('2026-12-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function item(id: string, name: string, folder: string, deletedAt: number, extra: Partial<TrashItem> = {}): TrashItem {
  return {
    key: itemKey('a', id),
    accountId: 'a',
    id,
    name,
    kind: 'file',
    size: 10,
    deletedAt: iso(deletedAt),
    originalFolder: folder,
    originalFolderId: folder,
    expiresAt: null,
    mimeType: null,
    ext: name.split('.').pop() ?? '',
    deletedBy: null,
    parentId: null,
    ...extra,
  };
}

const landed = (ref: string, fileId: string | null): Landed => ({
  ref,
  name: ref.slice(ref.lastIndexOf('/') + 1),
  kind: 'file',
  fileId,
  etag: null,
  size: 10,
  modifiedAt: null,
  version: null,
  replaced: null,
});

/** The account's trash as the ledger keys it. */
const owner = (accountId: string) => ({ owner: `https://cloud.example|${accountId}`, demo: false });

/** Reads items through the ledger as one complete listing. */
function read(ledger: MoveLedger, items: TrashItem[]): TrashItem[] {
  const reading = ledger.reading('a');
  const passed = reading.take(items);
  return [...passed, ...reading.finish(true)];
}

describe('the ledger of Salvage’s own moves', () => {
  // What the trash showed before the restore: deleted three days earlier from /Projects.
  const before = item('report.pdf.d1', 'report.pdf', '/Projects', T0 - 3 * 86_400_000, { deletedBy: 'Dana' });

  it('an item an Undo moved back reads with its old name, place and deletion time, marked as Salvage’s move', () => {
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => T0 + 5_000);
    // Restored with Keep both as "report (restored).pdf", then undone between T0 and T0 + 5 s.
    ledger.recordUndo('a', landed('/Projects/report (restored).pdf', '77'), before, T0);
    const listed = item('report (restored).pdf.d2', 'report (restored).pdf', '/Projects', T0 + 3_000, { fileId: '77' });
    const [shown] = read(ledger, [listed]);
    expect(shown).toMatchObject({
      id: 'report (restored).pdf.d2',
      name: 'report.pdf',
      originalFolder: '/Projects',
      deletedAt: before.deletedAt,
      deletedBy: 'Dana',
      movedBySalvage: {
        why: 'undo',
        trashedAs: { name: 'report (restored).pdf', folder: '/Projects', folderId: '/Projects' },
      },
    });
  });

  it('matches by the server’s file id where both sides have one, whatever the name', () => {
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => T0 + 5_000);
    ledger.recordUndo('a', landed('/Projects/report.pdf', '77'), before, T0);
    const other = item('report.pdf.d3', 'report.pdf', '/Projects', T0 + 2_000, { fileId: '78' });
    const ours = item('x.d4', 'renamed by server.pdf', '/Elsewhere', T0 + 2_000, { fileId: '77' });
    const shown = read(ledger, [other, ours]);
    expect(shown.find((i) => i.id === 'report.pdf.d3')?.movedBySalvage).toBeUndefined();
    expect(shown.find((i) => i.id === 'x.d4')).toMatchObject({ name: 'report.pdf', movedBySalvage: { why: 'undo' } });
  });

  it('never takes a deletion outside the span of its own request for one of its moves', () => {
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => T0 + 5_000);
    ledger.recordUndo('a', landed('/Projects/report.pdf', null), before, T0);
    // The same name from the same folder, deleted by someone half an hour later (e.g. restored in the web UI and
    // deleted again).
    const later = item('report.pdf.d9', 'report.pdf', '/Projects', T0 + 30 * 60_000);
    expect(read(ledger, [later])[0]).toEqual(later);
  });

  it('once seen, a move is that trash entry only: the same file deleted again minutes later is someone’s deletion', () => {
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => T0 + 5_000);
    ledger.recordUndo('a', landed('/Projects/report.pdf', '77'), before, T0);
    const ours = item('report.pdf.d2', 'report.pdf', '/Projects', T0 + 2_000, { fileId: '77' });
    expect(read(ledger, [ours])[0]).toMatchObject({ movedBySalvage: { why: 'undo' } });
    // Restored in the web UI and deleted again three minutes later: same file id, within the tolerance.
    const again = item('report.pdf.d3', 'report.pdf', '/Projects', T0 + 180_000, { fileId: '77' });
    expect(read(ledger, [again])[0]).toEqual(again);
  });

  it('two candidates for one move (no file ids to tell them apart): neither is marked, so no one’s deletion is hidden', () => {
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => T0 + 5_000);
    ledger.recordUndo('a', landed('/Projects/report.pdf', null), before, T0);
    const one = item('k1', 'report.pdf', '/Projects', T0 + 1_000);
    const two = item('k2', 'report.pdf', '/Projects', T0 + 4_000);
    const shown = read(ledger, [one, two]);
    expect(shown).toEqual([one, two]);
  });

  it('a file a Replace moved keeps the server’s deletion time, is marked with what replaced it, and is no deletion event', () => {
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => T0 + 2_000);
    ledger.recordReplace(
      'a',
      {
        name: 'Budget.xlsx',
        ref: '/Docs/Budget.xlsx',
        folder: '/Docs',
        fileId: null,
        size: 5,
        modifiedAt: null,
        version: null,
        at: iso(T0 - 1_000),
      },
      'Budget.xlsx',
    );
    const replacedEntry = item('r1', 'Budget.xlsx', '/Docs', T0);
    // Forty deletions within a minute make an event; the replaced file, in the middle of it, is not one of them.
    const burst = Array.from({ length: 40 }, (_, i) => item(`b${i}`, `b${i}.txt`, '/Docs', T0 - 30_000 + i * 1_000));
    const old = Array.from({ length: 60 }, (_, i) => item(`o${i}`, `o${i}.txt`, '/Old', T0 - (i + 2) * 5 * 86_400_000));
    const shown = read(ledger, [...old, ...burst, replacedEntry]);
    expect(shown.find((i) => i.id === 'r1')).toMatchObject({
      deletedAt: iso(T0),
      movedBySalvage: { why: 'replace', by: 'Budget.xlsx', trashedAs: null },
    });
    const events = detectEvents(shown);
    expect(events).toHaveLength(1);
    expect(events[0]!.keys).not.toContain(itemKey('a', 'r1'));
    expect(events[0]!.count).toBe(40);
  });

  it('items no move could explain pass at once; only candidates wait for the end of the listing', () => {
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => T0 + 5_000);
    ledger.recordUndo('a', landed('/Projects/report.pdf', null), before, T0);
    const reading = ledger.reading('a');
    const plain = item('p', 'plain.txt', '/Projects', T0 + 1_000);
    const candidate = item('c', 'report.pdf', '/Projects', T0 + 1_000);
    expect(reading.take([plain, candidate])).toEqual([plain]);
    expect(reading.finish(true)).toEqual([
      expect.objectContaining({ id: 'c', movedBySalvage: expect.objectContaining({ why: 'undo' }) }),
    ]);
  });

  it('forgets a move once a complete listing no longer holds its item, and only then', () => {
    let now = T0 + 5_000;
    const ledger = new MoveLedger(new MemoryLedgerStore(), owner, () => now);
    ledger.recordUndo('a', landed('/Projects/report.pdf', null), before, T0);
    // Right after the move a listing may not show it yet: kept.
    read(ledger, []);
    expect(ledger.of('a')).toHaveLength(1);
    // An incomplete listing proves nothing.
    now = T0 + 3_600_000;
    ledger.reading('a').finish(false);
    expect(ledger.of('a')).toHaveLength(1);
    read(ledger, []);
    expect(ledger.of('a')).toHaveLength(0);
  });
});

describe('the ledger kept with the account data', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('survives a restart: a second ledger on the same file recognises the move', () => {
    dir = mkdtempSync(join(tmpdir(), 'salvage-ledger-'));
    const file = join(dir, 'moves.json');
    const first = new MoveLedger(new FileLedgerStore(file), owner, () => T0 + 5_000);
    first.recordUndo(
      'a',
      landed('/Projects/report.pdf', '77'),
      item('report.pdf.d1', 'report.pdf', '/Projects', T0 - 86_400_000),
      T0,
    );
    first.flush();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      version: 1,
      moves: [expect.objectContaining({ owner: 'https://cloud.example|a', why: 'undo' })],
    });
    const second = new MoveLedger(new FileLedgerStore(file), owner, () => T0 + 60_000);
    const [shown] = read(second, [item('report.pdf.d2', 'report.pdf', '/Projects', T0 + 1_000, { fileId: '77' })]);
    expect(shown).toMatchObject({ deletedAt: iso(T0 - 86_400_000), movedBySalvage: { why: 'undo' } });
  });

  it('a damaged file is moved aside and said once; Salvage starts with an empty ledger', () => {
    dir = mkdtempSync(join(tmpdir(), 'salvage-ledger-'));
    const file = join(dir, 'moves.json');
    writeFileSync(file, '{ not json');
    const store = new FileLedgerStore(file);
    expect(new MoveLedger(store).of('a')).toEqual([]);
    expect(store.notices()).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('moved aside') }),
    ]);
  });
});

describe('the ledger shared by the window and the command line', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keys moves by server and user, so another Salvage (a fresh account id) reads them, and keeps the other’s moves when it writes', () => {
    dir = mkdtempSync(join(tmpdir(), 'salvage-ledger-'));
    const file = join(dir, 'moves.json');
    const same = () => ({ owner: 'https://cloud.example|alice', demo: false });
    const window = new MoveLedger(new FileLedgerStore(file), same, () => T0 + 5_000);
    const cli = new MoveLedger(new FileLedgerStore(file), same, () => T0 + 6_000);
    window.recordUndo(
      'window-account',
      landed('/Projects/report.pdf', '77'),
      item('r.d1', 'report.pdf', '/Projects', T0 - 86_400_000),
      T0,
    );
    window.flush();
    cli.recordReplace(
      'cli-account',
      { name: 'b.txt', ref: '/b.txt', folder: '/', fileId: '9', size: 1, modifiedAt: null, version: null, at: iso(T0) },
      'b.txt',
    );
    cli.flush();
    const third = new MoveLedger(new FileLedgerStore(file), same, () => T0 + 7_000);
    expect(
      third
        .of('any id')
        .map((e) => e.why)
        .sort(),
    ).toEqual(['replace', 'undo']);
  });

  it('drops a demo account’s moves when Salvage starts again (its servers are gone)', () => {
    dir = mkdtempSync(join(tmpdir(), 'salvage-ledger-'));
    const file = join(dir, 'moves.json');
    const demo = new MoveLedger(
      new FileLedgerStore(file),
      () => ({ owner: 'http://127.0.0.1:5|alice', demo: true }),
      () => T0,
    );
    demo.recordUndo('d', landed('/a.txt', null), item('a.d1', 'a.txt', '/', T0 - 1000), T0);
    demo.flush();
    expect(
      new MoveLedger(new FileLedgerStore(file), () => ({ owner: 'http://127.0.0.1:5|alice', demo: true })).of('d'),
    ).toEqual([]);
  });
});
