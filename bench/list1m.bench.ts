import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { cliList } from './cli';
import { record, type Bench, type BenchRow } from './harness';
import {
  appTimer,
  CHROMIUM,
  CHROMIUM_ARGS,
  ensureBuilt,
  heapAfterGc,
  NAME_SHIM,
  startHost,
  timeStatus,
} from './list100k.bench';
import { wireFloor, WireProxy } from './wire';
import { WATCH_INTERVAL } from '../shared/watch';

/**
 * A 1,000,000-item Nextcloud-shaped trash (one PROPFIND answer), behind the recording proxy
 * (bench/wire.ts): the test server builds the answer once (it takes minutes at this size), the
 * command line's listing records it, and every measured run is served from memory at 20 ms.
 *
 * - list1m_cli_peak_rss_mb / list1m_cli_ms: `salvage list --json` in its own process, stdout
 *   read and counted by this process (bench/cli.ts); peak resident memory from VmHWM.
 * - list1m_ms / list1m_main_peak_rss_mb / list1m_main_loop_max_block_ms: the browser host (the
 *   app's main-process services, bench/probe.mjs loaded) listing over trash:list and its bridge,
 *   read by this process — no window.
 * - list1m_floor_ms: every byte of the recorded answer fetched and its items counted by a scan.
 * - The window (a fresh host, the app's renderer in Debian Chromium, as list100k drives it):
 *   list1m_window_ms (first trash:list request → every item in the list model and the list
 *   scrollable to its end), list1m_window_first_rows_ms, list1m_renderer_max_task_ms (the
 *   longest task of the renderer's main thread while the items stream in, from
 *   PerformanceObserver 'longtask': how long the window can be unresponsive), and with every item
 *   loaded: list1m_search_ms (a keystroke in the search box, "7", matching about half the items →
 *   the status bar counts the filtered rows, next frame), list1m_sort_ms (a click on the Size
 *   header → sorted by size, next frame), list1m_select_all_ms (Ctrl+A → "1,000,000 selected",
 *   next frame), list1m_timeline_ms (the timeline opened when folded, else zoomed out → drawn, next frame),
 *   list1m_renderer_heap_mb (JS heap after a forced GC). Each interaction's figure also notes the
 *   longest task in the 2 s after it (deferred work the figure itself would not show).
 */
const COUNT = Number(process.env.SALVAGE_BENCH_1M_ITEMS ?? 1_000_000);
const LATENCY_MS = 20;
const USER = 'alice';
const SECRET = 'alice-app-password-0001';
const root = fileURLToPath(new URL('..', import.meta.url));

/** The test server with COUNT items in the trash, in its own process with room for them. */
async function server(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=8000',
      '--import',
      'tsx',
      'electron/demo/servers/webdav/serve.ts',
      '--kind',
      'nextcloud',
      '--seed',
      String(COUNT - 9),
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`test server exited (${code})`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, stop: () => child.kill('SIGTERM') };
}

/** In the app's page before anything runs: every long task of the renderer's main thread. */
function longTasks() {
  const tasks: [number, number][] = [];
  (window as unknown as { __longTasks: typeof tasks }).__longTasks = tasks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

/** The longest long task that started within [from, to] (page time, ms); 0 when none. */
const maxTask = (page: Page, from: number, to: number) =>
  page.evaluate(
    ({ from, to }) =>
      (window as unknown as { __longTasks: [number, number][] }).__longTasks
        .filter(([start]) => start >= from && start <= to)
        .reduce((m, [, d]) => Math.max(m, d), 0),
    { from, to },
  );

/**
 * Times an input in the page: from its event (capture phase) to the frame after `selector`'s
 * text (or attribute `attr`) includes `want` (or, without `want`, changes); also the longest task in the 2 s after the
 * event.
 */
async function timeUntil(
  page: Page,
  event: 'keydown' | 'pointerdown',
  target: { selector: string; attr?: string; want?: string },
  act: () => Promise<void>,
): Promise<{ ms: number; maxTaskMs: number }> {
  await page.evaluate(
    ({ event, target }) => {
      const w = window as unknown as { __until: Promise<[number, number]> };
      w.__until = new Promise((resolve) => {
        let t0: number | null = null;
        window.addEventListener(event, () => (t0 ??= performance.now()), { capture: true, once: true });
        const el = document.querySelector(target.selector)!;
        const read = () => (target.attr ? el.getAttribute(target.attr) : el.textContent);
        const initial = read();
        const check = () => {
          const text = read();
          if (t0 !== null && (target.want === undefined ? text !== initial : text?.includes(target.want))) {
            observer.disconnect();
            requestAnimationFrame(() => resolve([t0!, performance.now() - t0!]));
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(el, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    },
    { event, target },
  );
  await act();
  const [t0, ms] = await page.evaluate(() => (window as unknown as { __until: Promise<[number, number]> }).__until);
  await page.waitForTimeout(2000);
  return { ms, maxTaskMs: await maxTask(page, t0, t0 + 2000) };
}

interface WindowFigures {
  listMs: number;
  firstRowsMs: number;
  maxTaskMs: number;
  longTasks: number;
  heapMb: number;
  searchMs: number;
  searchTaskMs: number;
  sortMs: number;
  sortTaskMs: number;
  selectAllMs: number;
  timelineMs: number;
  timelineTaskMs: number;
  timelineHow: string;
}

/**
 * The app's window listing every item through a fresh host, then searched, sorted, selected and its timeline zoomed.
 */
async function measureWindow(account: Record<string, string>, count: number): Promise<WindowFigures> {
  const host = await startHost();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    await host.invoke('watch:set', { intervalMinutes: WATCH_INTERVAL.max });
    await host.invoke('accounts:add', { ...account, label: 'bench 1m' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: NAME_SHIM });
    await page.addInitScript(longTasks);
    await page.addInitScript(appTimer, count);
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${host.url}/#token=${host.token}`);
    type Timer = { listStart: number; firstRowsAt: number | null; doneAt: number | null };
    await page.waitForFunction(
      () => (window as unknown as { __salvageBench: Timer }).__salvageBench.doneAt !== null,
      null,
      { timeout: 600_000, polling: 500 },
    );
    const b = await page.evaluate(() => (window as unknown as { __salvageBench: Timer }).__salvageBench);
    const tasks = await page.evaluate(
      ({ from, to }) =>
        (window as unknown as { __longTasks: [number, number][] }).__longTasks.filter(
          ([start]) => start >= from && start <= to,
        ).length,
      { from: b.listStart, to: b.doneAt! },
    );
    const listMaxTask = await maxTask(page, b.listStart, b.doneAt!);
    await page.waitForTimeout(2000);
    const heapMb = await heapAfterGc(cdp);

    const n = count.toLocaleString('en-US');
    const search = page.getByRole('searchbox', { name: 'Search the trash' });
    await search.focus();
    const searched = await timeUntil(
      page,
      'keydown',
      { selector: '[data-testid="view-count"]', want: `(of ${n})` },
      () => page.keyboard.press('7'),
    );
    await page.keyboard.press('Escape'); // clears the search
    await page.waitForFunction(
      (want) => !document.querySelector('[data-testid="view-count"]')?.textContent?.includes(want),
      `(of ${n})`,
    );

    const sortButton = page.getByRole('button', { name: 'Size', exact: true });
    const sorted = await timeUntil(
      page,
      'pointerdown',
      { selector: '[role="columnheader"]:has(button[title="Sort by size"])', attr: 'aria-sort', want: 'descending' },
      () => sortButton.click(),
    );

    await page.locator('[role="grid"] [role="row"][aria-rowindex="2"] .cell-name').click();
    const selectAllMs = await timeStatus(page, 'keydown', `${n} selected`, () =>
      page.keyboard.press('ControlOrMeta+a'),
    );
    await page.keyboard.press('Escape');

    // The timeline: opened when it is folded (it bins every item then), else zoomed out.
    const folded = page.locator('.timeline-toggle[aria-expanded="false"]');
    const wasFolded = (await folded.count()) > 0;
    const zoomed = wasFolded
      ? await timeUntil(page, 'pointerdown', { selector: '.timeline-slot' }, () => folded.click())
      : await timeUntil(
          page,
          'pointerdown',
          { selector: '[data-testid="deletion-timeline"]', attr: 'aria-label' },
          () => page.getByRole('button', { name: 'Zoom out' }).click(),
        );
    const timelineHow = wasFolded ? 'open' : 'zoom out';
    return {
      listMs: b.doneAt! - b.listStart,
      firstRowsMs: (b.firstRowsAt ?? b.doneAt!) - b.listStart,
      maxTaskMs: listMaxTask,
      longTasks: tasks,
      heapMb,
      searchMs: searched.ms,
      searchTaskMs: searched.maxTaskMs,
      sortMs: sorted.ms,
      sortTaskMs: sorted.maxTaskMs,
      selectAllMs,
      timelineMs: zoomed.ms,
      timelineTaskMs: zoomed.maxTaskMs,
      timelineHow,
    };
  } finally {
    await browser.close();
    host.stop();
  }
}

const bench: Bench = async () => {
  ensureBuilt();
  const upstream = await server();
  const proxy = await WireProxy.start(upstream.url, LATENCY_MS);
  try {
    // Record: the test server builds its answer once.
    const account = { serverUrl: proxy.url, kind: 'nextcloud', user: USER, secret: SECRET };
    proxy.mark();
    process.stderr.write(
      `list1m: recording the ${COUNT.toLocaleString('en-US')}-item answer (the test server takes minutes)…\n`,
    );
    const first = await cliList(account);
    if (first.code !== 0 || first.items < COUNT)
      throw new Error(`list1m: the recording listing gave ${first.items} items (exit ${first.code}): ${first.stderr}`);
    const listing = proxy.recorded().filter((r) => r.method === 'PROPFIND' && r.url.includes('/trashbin/'));
    proxy.mode = 'replay';
    const mb = proxy.bytes(listing) / 1e6;

    const floor = await wireFloor(proxy, listing, '<d:response>', 1, 1);
    if (floor.items !== first.items)
      process.stderr.write(`list1m: the floor counted ${floor.items}, the command line listed ${first.items}\n`);

    const cli = await cliList(account);
    if (cli.code !== 0 || cli.items !== first.items)
      throw new Error(`list1m: the command line listed ${cli.items} (exit ${cli.code}): ${cli.stderr}`);

    const host = await startHost();
    let hostMs = 0;
    let probe = { maxBlockMs: 0, maxRssMb: 0 };
    let n = 0;
    try {
      // As in list100k: the watch's first round would read the whole trash beside the measured listing.
      await host.invoke('watch:set', { intervalMinutes: WATCH_INTERVAL.max });
      const { id: accountId } = await host.invoke<{ id: string }>('accounts:add', { ...account, label: 'bench 1m' });
      await host.probe(); // a fresh window for the block figure
      const t0 = performance.now();
      n = await host.countTrash(accountId);
      hostMs = performance.now() - t0;
      probe = await host.probe();
    } finally {
      host.stop();
    }
    // SALVAGE_BENCH_1M_WINDOW=0 leaves the window out (it adds a minute or more at 1M).
    // A window that fails (or does not list every item in time) is said, and the host's and command
    // line's figures are kept.
    const win =
      process.env.SALVAGE_BENCH_1M_WINDOW === '0'
        ? null
        : await measureWindow(account, first.items).catch((e: unknown) => {
            process.stderr.write(
              `list1m: the window's figures are missing: ${e instanceof Error ? e.message : String(e)}\n`,
            );
            return null;
          });
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    process.stderr.write(
      `list1m: ${first.items} items, ${mb.toFixed(0)} MB; floor ${floor.ms.toFixed(0)} ms; cli ${cli.ms.toFixed(0)} ms, peak ${cli.peakMb.toFixed(0)} MB; host bridge ${n} items in ${hostMs.toFixed(0)} ms, main peak ${probe.maxRssMb.toFixed(0)} MB, longest block ${probe.maxBlockMs.toFixed(0)} ms (load ${load})\n`,
    );
    if (win)
      process.stderr.write(
        `list1m window: every item in ${win.listMs.toFixed(0)} ms (first rows ${win.firstRowsMs.toFixed(0)} ms), longest renderer task while listing ${win.maxTaskMs.toFixed(0)} ms (${win.longTasks} long tasks), heap ${win.heapMb.toFixed(0)} MB; search ${win.searchMs.toFixed(0)} ms (longest task ${win.searchTaskMs.toFixed(0)}), sort ${win.sortMs.toFixed(0)} ms (${win.sortTaskMs.toFixed(0)}), select all ${win.selectAllMs.toFixed(0)} ms, timeline ${win.timelineHow} ${win.timelineMs.toFixed(0)} ms (${win.timelineTaskMs.toFixed(0)})\n`,
      );
    const how = `${first.items.toLocaleString('en-US')} items in one PROPFIND answer of ${mb.toFixed(0)} MB at ${LATENCY_MS} ms; load ${load}`;
    record(
      'list1m_floor_ms',
      'nextcloud',
      floor.ms,
      'ms',
      false,
      `fetch every byte and count items with a plain scan; ${how}`,
    );
    record(
      'list1m_ms',
      'nextcloud',
      hostMs,
      'ms',
      false,
      `the host's services over trash:list and the bridge, no window; ${n} items; ${how}`,
    );
    record(
      'list1m_main_peak_rss_mb',
      'nextcloud',
      probe.maxRssMb,
      'MB',
      false,
      `peak RSS of the host process (main) since it started; target ≤ 1024; ${how}`,
    );
    record(
      'list1m_main_loop_max_block_ms',
      'nextcloud',
      probe.maxBlockMs,
      'ms',
      false,
      'longest block of the host main loop during the 1M listing (probe)',
    );
    record(
      'list1m_cli_peak_rss_mb',
      'nextcloud',
      cli.peakMb,
      'MB',
      false,
      `peak RSS (VmHWM) of salvage list --json; target ≤ 300; ${how}`,
    );
    record(
      'list1m_cli_ms',
      'nextcloud',
      cli.ms,
      'ms',
      false,
      `salvage list --json, process start → exit, stdout counted; ${how}`,
    );
    if (win) {
      const w = (key: string, value: number, unit: string, note: string) =>
        record(key, 'nextcloud', value, unit, false, `${note}; ${how}`);
      w(
        'list1m_window_ms',
        win.listMs,
        'ms',
        "the window (fresh host + Chromium): renderer's first trash:list request → every item in the list model and the list scrollable",
      );
      w('list1m_window_first_rows_ms', win.firstRowsMs, 'ms', 'first trash:list request → first row on screen');
      w(
        'list1m_renderer_max_task_ms',
        win.maxTaskMs,
        'ms',
        `longest task of the renderer's main thread while the items stream in (PerformanceObserver longtask; ${win.longTasks} tasks over 50 ms)`,
      );
      w('list1m_renderer_heap_mb', win.heapMb, 'MB', 'JS heap of the window after a forced GC, every item loaded');
      w(
        'list1m_search_ms',
        win.searchMs,
        'ms',
        `keystroke "7" in an empty search box → the status bar counts the filtered rows, next frame (longest task in the 2 s after: ${win.searchTaskMs.toFixed(0)} ms)`,
      );
      w(
        'list1m_sort_ms',
        win.sortMs,
        'ms',
        `click on the Size header → sorted by size, next frame (longest task in the 2 s after: ${win.sortTaskMs.toFixed(0)} ms)`,
      );
      w('list1m_select_all_ms', win.selectAllMs, 'ms', 'Ctrl+A → every item counted as selected, next frame');
      w(
        'list1m_timeline_ms',
        win.timelineMs,
        'ms',
        `timeline (${win.timelineHow}: open it when folded, else Zoom out) → drawn, next frame (longest task in the 2 s after: ${win.timelineTaskMs.toFixed(0)} ms)`,
      );
    }
    const windowRows: BenchRow[] = win
      ? [
          {
            bench: 'list 1M nextcloud',
            measure: 'time to every item in the window',
            unit: 'ms',
            baseline: floor.ms,
            baselineLabel: 'wire floor',
            candidate: win.listMs,
            candidateLabel: 'salvage window',
            target: null,
          },
          ...(
            [
              ['longest renderer task while listing', win.maxTaskMs, 50],
              ['search keystroke → filtered rows', win.searchMs, 100],
              ['sort by size', win.sortMs, 100],
              ['select all', win.selectAllMs, 50],
              [`timeline ${win.timelineHow}`, win.timelineMs, 100],
            ] as const
          ).map(([measure, candidate, target]) => ({
            bench: 'list 1M nextcloud',
            measure,
            unit: 'ms',
            baseline: 0,
            baselineLabel: '—',
            candidate,
            candidateLabel: 'salvage window',
            target,
          })),
        ]
      : [];
    const rows: BenchRow[] = [
      {
        bench: 'list 1M nextcloud',
        measure: `host + bridge, no window (${how})`,
        unit: 'ms',
        baseline: floor.ms,
        baselineLabel: 'wire floor',
        candidate: hostMs,
        candidateLabel: 'host bridge',
        target: null,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'main peak memory (RSS)',
        unit: 'MB',
        baseline: 0,
        baselineLabel: '—',
        candidate: probe.maxRssMb,
        candidateLabel: 'host main',
        target: 1024,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'longest main-loop block',
        unit: 'ms',
        baseline: 0,
        baselineLabel: '—',
        candidate: probe.maxBlockMs,
        candidateLabel: 'host main',
        target: 50,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'salvage list --json, time',
        unit: 'ms',
        baseline: floor.ms,
        baselineLabel: 'wire floor',
        candidate: cli.ms,
        candidateLabel: 'command line',
        target: floor.ms + 2500,
      },
      {
        bench: 'list 1M nextcloud',
        measure: 'salvage list --json, peak memory (RSS)',
        unit: 'MB',
        baseline: 0,
        baselineLabel: '—',
        candidate: cli.peakMb,
        candidateLabel: 'command line',
        target: 300,
      },
      ...windowRows,
    ];
    return rows;
  } finally {
    await proxy.close();
    upstream.stop();
  }
};

export default bench;
