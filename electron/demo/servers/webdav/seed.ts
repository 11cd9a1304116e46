import type { FileTree } from '../tree';

/** Test accounts: password and app password work alike (Basic auth). */
export const WEBDAV_USERS = {
  alice: {
    id: 'alice',
    displayName: 'Alice Adams',
    password: 'alice-password',
    appPassword: 'alice-app-password-0001',
  },
  bob: { id: 'bob', displayName: 'Bob Brown', password: 'bob-password', appPassword: 'bob-app-password-0001' },
} as const;

/** A fixed clock for the seeds so listings are reproducible: 2026-11-20 09:00 UTC. */
export const SEED_TIME = Date.UTC(2026, 10, 20, 9, 0, 0);

function users(tree: FileTree): void {
  for (const u of Object.values(WEBDAV_USERS)) {
    tree.addUser(u.id, {
      displayName: u.displayName,
      password: u.password,
      appPasswords: [u.appPassword],
      email: `${u.id}@example.com`,
    });
  }
  tree.bumpIds(100);
}

/**
 * The small state the integration tests start from (alice):
 *   files:  /Documents/ (report.pdf), /Photos/, /Shared/
 *   trash:  notes.txt (from /), Documents/report.pdf (a second one, so it conflicts),
 *           Projects/ (folder: plan.md, drafts/v1.txt; from /), Old/letter.txt (Old/ no longer exists),
 *           "weird #?%+ & ü [1].txt" (from /Documents), "2024.10" (a number-looking name), "1e3.txt"
 */
export function seedTestState(tree: FileTree): void {
  tree.at(SEED_TIME, () => seedTestStateAt(tree));
}

function seedTestStateAt(tree: FileTree): void {
  users(tree);
  let t = SEED_TIME;
  const tick = () => (t += 60_000);
  tree.mkdir('alice', 'Documents', { mtime: t });
  tree.mkdir('alice', 'Photos', { mtime: t });
  tree.mkdir('alice', 'Shared', { mtime: t });
  tree.writeFile('alice', 'Documents/report.pdf', 2048, { mtime: t });

  const trashFile = (path: string, size: number) => {
    const node = tree.writeFile('alice', path, size, { mtime: tick(), parents: true });
    return tree.trash(node.id, { at: tick() });
  };
  trashFile('notes.txt', 120);
  trashFile('Documents/report.pdf.tmp', 10); // an unrelated deletion
  // A different report.pdf deleted earlier from Documents; the live one now takes its name.
  const live = tree.resolve('alice', 'Documents/report.pdf')!;
  tree.move(live.id, tree.resolve('alice', 'Documents')!.id, 'report-live.pdf');
  trashFile('Documents/report.pdf', 4096);
  tree.move(live.id, tree.resolve('alice', 'Documents')!.id, 'report.pdf');

  tree.mkdirs('alice', 'Projects/drafts');
  tree.writeFile('alice', 'Projects/plan.md', 300, { mtime: tick() });
  tree.writeFile('alice', 'Projects/drafts/v1.txt', 50, { mtime: tick() });
  tree.trash(tree.resolve('alice', 'Projects')!.id, { at: tick() });

  tree.mkdir('alice', 'Old');
  trashFile('Old/letter.txt', 80);
  tree.trash(tree.resolve('alice', 'Old')!.id, { at: tick() });

  trashFile('Documents/weird #?%+ & ü [1].txt', 7);
  trashFile('2024.10', 5);
  trashFile('1e3.txt', 6);

  // bob has his own trash (another user's trash answers 403).
  const b = tree.writeFile('bob', 'secret.txt', 9, { mtime: t });
  tree.trash(b.id, { at: tick() });
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * When the demo's incident (seedDemoIncident) starts for a clock reading `now`: three days before,
 * at 14:02:07 local time (a time of day a user recognises, whatever the time zone or DST).
 */
export function demoIncidentStart(now: number): number {
  const start = new Date(now - 3 * DAY);
  start.setHours(14, 2, 7, 0);
  return start.getTime();
}

/**
 * Realistic demo trash for one user: documents, photos, nested folders, odd names; about
 * `count` trashed items spread over the 40 days before `now` (the demo's clock, read once by
 * whoever starts the demo; tests pass a fixed one). None of them falls within two hours of the
 * incident's start (demoIncidentStart(now)), so the incident's size never depends on the clock.
 */
export function seedDemoState(
  tree: FileTree,
  user: { id: string; displayName: string; password: string; appPassword: string },
  count = 320,
  now: number = SEED_TIME,
): void {
  tree.at(now, () => seedDemoStateAt(tree, user, count, now));
}

function seedDemoStateAt(
  tree: FileTree,
  user: { id: string; displayName: string; password: string; appPassword: string },
  count: number,
  now: number,
): void {
  tree.addUser(user.id, {
    displayName: user.displayName,
    password: user.password,
    appPasswords: [user.appPassword],
    email: `${user.id}@example.com`,
  });
  tree.bumpIds(1000);
  const day = DAY;
  const incident = demoIncidentStart(now);
  const folders = [
    'Documents',
    'Documents/Invoices',
    'Documents/Contracts 2025',
    'Photos',
    'Photos/Holiday Lisbon',
    'Photos/2024.10 Birthday',
    'Projects',
    'Projects/Website redesign',
    'Music',
    'Notes',
    'Talk',
  ];
  for (const f of folders) tree.mkdirs(user.id, f);
  tree.writeFile(user.id, 'Documents/Invoices/invoice-1041.pdf', 81_233, { mtime: now - 12 * day });
  tree.writeFile(user.id, 'Photos/IMG_4032.jpg', 2_483_112, { mtime: now - 30 * day });
  tree.writeFile(user.id, 'Notes/todo.md', 1_024, { mtime: now - 2 * day });

  const docs = [
    'Quarterly report',
    'Meeting notes',
    'Offer letter',
    'Travel plan',
    'Tax return',
    'Lease agreement',
    'Roadmap',
    'Invoice',
    'Minutes',
    'Proposal',
  ];
  const docExt = ['.docx', '.pdf', '.odt', '.xlsx', '.md', '.txt', '.pptx', '.csv'];
  const odd = [
    'résumé (final) v2.pdf',
    'a#b%c&d+e ü [1].txt',
    'report.d2024',
    'README',
    '2024.10',
    '1e3',
    'true',
    '.env.example',
    'spaces  in  name .txt',
    'emoji 🎉 party.png',
    '日本語のファイル.txt',
    "l'été.odt",
    'semi;colon,comma.txt',
    'percent%20encoded.txt',
    'question?.md',
  ];
  const spread = (i: number) => now - Math.floor(((i * 7919) % (40 * 24)) * (day / 24)) - (i % 60) * 1000;
  // Kept clear of the incident: a deletion that would fall within two hours of it moves four hours earlier.
  const when = (i: number) => (Math.abs(spread(i) - incident) < 2 * HOUR ? spread(i) - 4 * HOUR : spread(i));
  let i = 0;
  const trash = (path: string, size: number) => {
    const node = tree.writeFile(user.id, path, size, { mtime: when(i) - 5 * day, parents: true });
    tree.trash(node.id, { at: when(i++) });
  };
  for (const name of odd) trash(`${pick(['', 'Documents/', 'Notes/'], i)}${name}`, 1000 + i * 37);
  // Two versions of the same file, and one whose name is taken again now.
  trash('Documents/Budget 2026.xlsx', 45_001);
  trash('Documents/Budget 2026.xlsx', 44_120);
  // The live one is written after them: trash() writes at the same path first, which would replace it.
  tree.writeFile(user.id, 'Documents/Budget 2026.xlsx', 48_213, { mtime: now - day });
  // Nested folders.
  for (const [folder, files] of [
    ['Projects/Website redesign/exports', ['home.png', 'about.png', 'contact.png']],
    ['Photos/Holiday Lisbon/Day 2', ['IMG_5001.jpg', 'IMG_5002.jpg', 'IMG_5003.heic', 'clip.mov']],
    ['Documents/Old contracts', ['2019 lease.pdf', '2020 lease.pdf', 'Signed/annex A.pdf', 'Signed/annex B.pdf']],
  ] as const) {
    for (const f of files)
      tree.writeFile(user.id, `${folder}/${f}`, 200_000 + f.length * 1000, { parents: true, mtime: when(i) - day });
    tree.trash(tree.resolve(user.id, folder)!.id, { at: when(i++) });
  }
  // A folder whose parent is gone as well.
  tree.writeFile(user.id, 'Archive 2023/Q4/summary.pdf', 90_000, { parents: true, mtime: now - 400 * day });
  tree.trash(tree.resolve(user.id, 'Archive 2023/Q4/summary.pdf')!.id, { at: when(i++) });
  tree.trash(tree.resolve(user.id, 'Archive 2023')!.id, { at: when(i++) });
  // Bulk: documents and photos.
  while (i < count) {
    if (i % 3 === 0)
      trash(
        `${pick(['Photos', 'Photos/Holiday Lisbon', 'Photos/2024.10 Birthday'], i)}/IMG_${4000 + i}.${pick(['jpg', 'jpg', 'heic', 'png'], i)}`,
        1_500_000 + ((i * 104_729) % 3_000_000),
      );
    else
      trash(
        `${pick(['Documents', 'Documents/Invoices', 'Projects', 'Notes', ''], i)}/${pick(docs, i)} ${1 + (i % 17)}${pick(docExt, i)}`,
        2_000 + ((i * 7_907) % 900_000),
      );
  }
}

/** oCIS project spaces of the tests and the demo: ids "<storage id>$<space uuid>", and alice's role in each. */
export const OCIS_SPACES = {
  marketing: { id: 'storage-users-1$5e1f7c2a-8a4d-4b6e-9c11-00000000a001', name: 'Marketing', role: 'manager' },
  engineering: { id: 'storage-users-1$5e1f7c2a-8a4d-4b6e-9c11-00000000a002', name: 'Engineering', role: 'editor' },
  board: { id: 'storage-users-1$5e1f7c2a-8a4d-4b6e-9c11-00000000a003', name: 'Board', role: 'viewer' },
  /** Disabled by its manager: listed in /me/drives as trashed, never shown. */
  archive: { id: 'storage-users-1$5e1f7c2a-8a4d-4b6e-9c11-00000000a004', name: 'Archive', role: 'manager' },
} as const;

/**
 * oCIS project spaces for `userId` (an existing tree user), each with a little trash:
 *   Marketing (manager): Campaigns/2025/plan.pdf and banner.png (Campaigns/2025 exists), Assets/ (a
 *     folder: logo.svg, fonts/brand.woff2), Campaigns/2024/old.pdf (2024 no longer exists)
 *   Engineering (editor): Specs/api.md (Specs exists)
 *   Board (viewer): minutes.pdf
 *   Archive (disabled): notes.txt
 */
export function seedOcisSpaces(tree: FileTree, userId = 'alice', at = SEED_TIME): void {
  tree.at(at, () => seedOcisSpacesAt(tree, userId, at));
}

function seedOcisSpacesAt(tree: FileTree, userId: string, at: number): void {
  let t = at;
  const tick = () => (t += 60_000);
  const space = (key: keyof typeof OCIS_SPACES) => {
    const s = OCIS_SPACES[key];
    tree.addSpace(
      s.id,
      s.name,
      { [userId]: s.role, ...(userId !== 'bob' && tree.users.has('bob') ? { bob: 'manager' as const } : {}) },
      { disabled: key === 'archive' },
    );
    return s.id;
  };
  const trashFile = (owner: string, path: string, size: number) => {
    const node = tree.writeFile(owner, path, size, { mtime: tick(), parents: true });
    return tree.trash(node.id, { at: tick(), deletedBy: userId });
  };
  const m = space('marketing');
  tree.mkdirs(m, 'Campaigns/2025');
  tree.mkdirs(m, 'Brand');
  trashFile(m, 'Campaigns/2025/plan.pdf', 1_000);
  trashFile(m, 'Campaigns/2025/banner.png', 2_000);
  tree.writeFile(m, 'Assets/logo.svg', 300, { parents: true, mtime: tick() });
  tree.writeFile(m, 'Assets/fonts/brand.woff2', 700, { parents: true, mtime: tick() });
  tree.trash(tree.resolve(m, 'Assets')!.id, { at: tick(), deletedBy: userId });
  trashFile(m, 'Campaigns/2024/old.pdf', 400);
  tree.trash(tree.resolve(m, 'Campaigns/2024')!.id, { at: tick(), deletedBy: userId });
  const e = space('engineering');
  tree.mkdirs(e, 'Specs');
  trashFile(e, 'Specs/api.md', 500);
  const b = space('board');
  trashFile(b, 'minutes.pdf', 600);
  const a = space('archive');
  trashFile(a, 'notes.txt', 50);
}

/**
 * The demo's incident among months of ordinary deletions: three days before `now` at 14:02
 * (demoIncidentStart), within about four minutes, a sync client wiped most of Projects/Client X —
 * some folders went whole (Drafts, Contracts/2025, Design/Mockups), most files one by one (Specs,
 * Contracts, Design, Meetings), and Specs/Old lost ten files one by one before the folder itself
 * went: 184 trash entries. Before the demo's last 40 days, `older` ordinary deletions spread over
 * five months. `now` is the same clock reading seedDemoState got.
 */
export function seedDemoIncident(tree: FileTree, userId: string, older = 150, now: number = SEED_TIME): void {
  tree.at(now, () => seedDemoIncidentAt(tree, userId, older, now));
}

function seedDemoIncidentAt(tree: FileTree, userId: string, older: number, now: number): void {
  const day = DAY;
  for (let i = 0; i < older; i++) {
    const at = now - 41 * day - Math.floor(((i * 6007) % (140 * 24)) * (day / 24)) - (i % 50) * 1000;
    const path =
      i % 4 === 0
        ? `Photos/2025/IMG_${2000 + i}.jpg`
        : `${pick(['Documents', 'Documents/Invoices', 'Notes', 'Projects'], i)}/${pick(['Draft', 'Scan', 'Notes', 'Old copy', 'Export'], i)} ${i + 1}.${pick(['pdf', 'docx', 'txt', 'xlsx'], i)}`;
    const node = tree.writeFile(userId, path, i % 4 === 0 ? 1_800_000 + i * 997 : 4_000 + i * 311, {
      mtime: at - 20 * day,
      parents: true,
    });
    tree.trash(node.id, { at });
  }
  const start = demoIncidentStart(now);
  const project = 'Projects/Client X';
  const made = start - 60 * day;
  const write = (path: string, size: number) =>
    tree.writeFile(userId, `${project}/${path}`, size, { mtime: made, parents: true });
  const files = (folder: string, names: string[], size: number) =>
    names.map((n, i) => write(`${folder}/${n}`, size + i * 1_337));
  const n = (prefix: string, count: number, ext: string) =>
    Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(2, '0')}.${ext}`);
  files('Drafts', n('Draft', 40, 'docx'), 28_000);
  files('Drafts/Reviewed', n('Reviewed draft', 12, 'docx'), 31_000);
  const specs = files('Specs', n('Spec', 60, 'pdf'), 140_000);
  const old = files('Specs/Old', n('Old spec', 15, 'pdf'), 120_000);
  files('Contracts/2025', n('Contract 2025', 30, 'pdf'), 210_000);
  const contracts = files('Contracts', n('Contract', 25, 'pdf'), 190_000);
  files('Design/Mockups', n('Mockup', 50, 'png'), 850_000);
  const design = files('Design', n('Asset', 45, 'svg'), 12_000);
  const meetings = files('Meetings', n('Minutes', 40, 'md'), 3_000);
  let t = start;
  const gone = (id: number) => {
    tree.trash(id, { at: t });
    t += 1000 + ((t / 1000) % 3) * 300;
  };
  const folder = (path: string) => tree.resolve(userId, `${project}/${path}`)!.id;
  gone(folder('Drafts'));
  for (const f of old.slice(0, 10)) gone(f.id);
  gone(folder('Specs/Old'));
  for (const f of specs) gone(f.id);
  gone(folder('Contracts/2025'));
  for (const f of contracts) gone(f.id);
  gone(folder('Design/Mockups'));
  for (const f of design) gone(f.id);
  for (const f of meetings) gone(f.id);
}
