import { RoomType, type DocSpaceState } from './state';

const DAY = 86_400_000;

/** API keys of the small test portal. */
export const TEST_KEYS = {
  /** Alice, full access ("*:write" covers reads too). */
  alice: 'sk-alice-0c1d2e3f4a5b6c7d8e9f',
  /** Alice, read-only scopes: every write answers a bare 403. */
  aliceReadOnly: 'sk-alice-read-9f8e7d6c5b4a',
  bob: 'sk-bob-1a2b3c4d5e6f',
} as const;

/**
 * The small portal the tests start from: Alice with My documents (Reports, Reports/2024, Photos),
 * two rooms (Marketing: editable; Handbook: read-only) and four trashed entries.
 */
export function seedTestPortal(state: DocSpaceState): void {
  const now = state.tree.now();
  state.addUser('alice', {
    displayName: 'Alice Carter',
    isAdmin: true,
    keys: [
      { key: TEST_KEYS.alice, scopes: ['*:write'] },
      { key: TEST_KEYS.aliceReadOnly, scopes: ['files:read', 'rooms:read', 'accounts.self:read'] },
    ],
  });
  state.addUser('bob', { displayName: 'Bob Stone', keys: [{ key: TEST_KEYS.bob, scopes: ['*:write'] }] });
  const my = state.myRoot('alice');
  const reports = state.addFolder(my, 'Reports', { by: 'alice', at: now - 200 * DAY });
  state.addFolder(reports.id, '2024', { by: 'alice', at: now - 150 * DAY });
  const photos = state.addFolder(my, 'Photos', { by: 'alice', at: now - 120 * DAY });
  const marketing = state.addRoom('Marketing', { roomType: RoomType.CustomRoom, canWrite: true, by: 'alice' });
  state.addRoom('Handbook', { roomType: RoomType.PublicRoom, canWrite: false, by: 'alice' });

  state.addTrashed('alice', reports.id, 'Q3 report.docx', 'file', 12_288, now - 2 * DAY);
  const project = state.addFolder(my, 'Old project', { by: 'alice', at: now - 90 * DAY });
  state.addFile(project.id, 'plan.md', 2_048, { by: 'alice' });
  state.addFile(project.id, 'notes.txt', 512, { by: 'alice' });
  const assets = state.addFolder(project.id, 'assets', { by: 'alice' });
  state.addFile(assets.id, 'logo.png', 40_960, { by: 'alice' });
  state.trashNode('alice', project.id, now - 3 * DAY);
  state.addTrashed('alice', marketing.id, 'Campaign brief.pdf', 'file', 204_800, now - DAY);
  state.addTrashed('alice', photos.id, 'holiday.jpg', 'file', 3_145_728, now - 29 * DAY);
}

/** The API key of the demo account. */
export const DEMO_KEY = 'sk-demo-5a1va6e-docspace';

/**
 * A realistic portal for demo mode: rooms, My documents with nested folders, and a few hundred
 * trashed items spread over the month before `now` (some about to be purged by the 30-day
 * auto-cleanup). `now` defaults to the server's clock; the demo passes the reading it took once.
 */
export function seedDemoPortal(state: DocSpaceState, now: number = state.tree.now()): void {
  state.tree.at(now, () => seedDemoPortalAt(state, now));
}

function seedDemoPortalAt(state: DocSpaceState, now: number): void {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  state.addUser('demo', {
    displayName: 'Dana Morgan',
    email: 'dana.morgan@example.com',
    isAdmin: true,
    keys: [{ key: DEMO_KEY, scopes: ['*:write'] }],
  });
  state.addUser('lee', { displayName: 'Lee Park', email: 'lee.park@example.com' });
  const my = state.myRoot('demo');

  const folders: { id: number; name: string }[] = [{ id: my, name: 'My documents' }];
  const mk = (parent: number, title: string) => {
    const node = state.addFolder(parent, title, { by: 'demo', at: now - (200 + rand() * 300) * DAY });
    folders.push({ id: node.id, name: title });
    return node;
  };
  const projects = mk(my, 'Projects');
  for (const year of ['2023', '2024', '2025']) {
    const y = mk(projects.id, year);
    for (const q of ['Q1', 'Q2', 'Q3', 'Q4']) mk(y.id, q);
  }
  const invoices = mk(my, 'Invoices');
  mk(invoices.id, 'Paid');
  mk(invoices.id, 'Open');
  const photos = mk(my, 'Photos');
  mk(photos.id, 'Trips');
  mk(photos.id, 'Family');
  mk(my, 'Drafts');

  const rooms = [
    state.addRoom('Marketing', { roomType: RoomType.CustomRoom, by: 'demo' }),
    state.addRoom('Legal', { roomType: RoomType.VirtualDataRoom, by: 'demo' }),
    state.addRoom('Product', { roomType: RoomType.EditingRoom, by: 'demo' }),
    state.addRoom('Company handbook', { roomType: RoomType.PublicRoom, canWrite: false, by: 'demo' }),
  ];
  for (const room of rooms.slice(0, 3)) {
    folders.push({ id: room.id, name: state.title(room) });
    for (const sub of ['Assets', 'Contracts', 'Specs'].slice(0, 1 + Math.floor(rand() * 3))) {
      const f = state.addFolder(room.id, sub, { by: 'demo' });
      folders.push({ id: f.id, name: sub });
    }
  }

  const stems = [
    'Budget',
    'Roadmap',
    'Meeting notes',
    'Invoice',
    'Contract',
    'Proposal',
    'Report',
    'Presentation',
    'Photo',
    'Scan',
    'Draft',
    'Summary',
    'Checklist',
    'Plan',
    'Brief',
    'Minutes',
    'Forecast',
    'Survey results',
  ];
  const exts = ['docx', 'xlsx', 'pptx', 'pdf', 'jpg', 'png', 'txt', 'md', 'csv', 'odt', 'mp4', 'zip'];
  const sizes: Record<string, [number, number]> = {
    jpg: [400_000, 6_000_000],
    png: [50_000, 2_000_000],
    mp4: [10_000_000, 300_000_000],
    zip: [1_000_000, 80_000_000],
  };
  const used = new Set<string>();
  const fileName = () => {
    for (;;) {
      const ext = pick(exts);
      const name = `${pick(stems)} ${Math.floor(rand() * 900) + 100}.${ext}`;
      if (!used.has(name)) {
        used.add(name);
        return { name, ext };
      }
    }
  };
  const sizeFor = (ext: string) => {
    const [lo, hi] = sizes[ext] ?? [2_000, 900_000];
    return Math.round(lo + rand() * (hi - lo));
  };

  // A few live files so restores meet real folders (and a conflict or two).
  for (const f of folders.slice(0, 12)) {
    for (let i = 0; i < 3; i++) {
      const { name, ext } = fileName();
      state.addFile(f.id, name, sizeFor(ext), { by: 'demo', at: now - rand() * 200 * DAY });
    }
  }

  // ~300 trashed files from all over, deleted during the last 30 days.
  for (let i = 0; i < 290; i++) {
    const origin = pick(folders);
    const { name, ext } = fileName();
    const ageDays = i < 12 ? 27 + rand() * 2.9 : rand() * 26; // the first dozen are purged within three days
    state.addTrashed('demo', origin.id, name, 'file', sizeFor(ext), now - ageDays * DAY);
  }

  // Trashed folders with nested content.
  const nested = [
    {
      title: 'Website redesign',
      from: projects.id,
      files: ['wireframes.pdf', 'copy.docx', 'palette.png'],
      sub: { title: 'exports', files: ['home.png', 'about.png'] },
    },
    {
      title: 'Tax 2022',
      from: invoices.id,
      files: ['return.pdf', 'receipts.zip'],
      sub: { title: 'scans', files: ['scan-001.jpg', 'scan-002.jpg', 'scan-003.jpg'] },
    },
    {
      title: 'Offsite 2023',
      from: rooms[0]!.id,
      files: ['agenda.docx', 'budget.xlsx'],
      sub: { title: 'photos', files: ['team.jpg', 'venue.jpg'] },
    },
  ];
  for (const [i, spec] of nested.entries()) {
    const folder = state.addFolder(spec.from, spec.title, { by: 'demo', at: now - 300 * DAY });
    for (const f of spec.files) state.addFile(folder.id, f, sizeFor(f.split('.').pop()!), { by: 'demo' });
    const sub = state.addFolder(folder.id, spec.sub.title, { by: 'demo' });
    for (const f of spec.sub.files) state.addFile(sub.id, f, sizeFor(f.split('.').pop()!), { by: 'demo' });
    state.trashNode('demo', folder.id, now - (2 + i * 9) * DAY);
  }
}
