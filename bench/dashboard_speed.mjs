// The browser half of bench/dashboard_speed.py: Playwright-driven Chromium on the hosts page.
// Driven by the Python script (which starts the platform and streams the reports); prints one
// JSON object on stdout. Settings come as JSON in argv[2]:
//   { baseURL, username, password, hosts, seconds, chromium }
// Playwright is the frontend's (frontend/node_modules), so nothing is installed for this.
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../frontend/package.json"));
const { chromium } = require("playwright");

const settings = JSON.parse(process.argv[2] ?? "{}");
const QUIET_MS = 2000;
const WARMUP_MS = 30_000; // live updates before the heap's baseline // "interactive": the first 2 s without a long task once the hosts show
const log = (...parts) => process.stderr.write(`[browser] ${parts.join(" ")}\n`);

// Installed before any page script: long tasks, frames, interaction latency and when the
// hosts first show ("Showing 2,000 of 2,000", i.e. every host is in the table model).
function instrument(expected) {
  const bench = (window.__bench = { longTasks: [], frames: [], events: [], shownAt: null, recordFrames: false });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.events.push({ name: entry.name, start: entry.startTime, duration: entry.duration });
  }).observe({ type: "event", durationThreshold: 16, buffered: true });
  let last = 0;
  const frame = (now) => {
    if (bench.recordFrames && last) bench.frames.push(now - last);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const check = () => {
    if (bench.shownAt !== null) return;
    const shown = document.querySelector("[data-hosts-shown]");
    if (shown && Number(shown.getAttribute("data-hosts-shown")) >= expected && document.querySelector("[data-host-card]")) {
      bench.shownAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  document.addEventListener("DOMContentLoaded", () => observer.observe(document.body, { subtree: true, childList: true, attributes: true }));
}

function interactiveAt(shownAt, longTasks) {
  let at = shownAt;
  for (const task of [...longTasks].sort((a, b) => a.start - b.start)) {
    if (task.start > at + QUIET_MS) break;
    at = Math.max(at, task.start + task.duration);
  }
  return at;
}

// (Not Math.max(...values): ten minutes of frames and tasks overflow the call stack.)
const maximum = (values) => values.reduce((a, b) => (b > a ? b : a), 0);
const round = (value, digits = 1) => (value == null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const quantile = (values, q) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

function frameStats(frames, longTasks, seconds) {
  return {
    seconds: round(seconds),
    frames: frames.length,
    fps: round(frames.length / seconds),
    longest_frame_ms: round(maximum(frames)),
    p99_frame_ms: round(quantile(frames, 0.99)),
    frames_over_50ms: frames.filter((f) => f > 50).length,
    long_tasks: longTasks.length,
    longest_task_ms: round(maximum(longTasks.map((t) => t.duration))),
  };
}

// Main-thread tasks by CPU time (the trace's thread duration): what the page itself costs,
// whatever else the machine is busy with (wall-clock frames include waiting for a core).
function mainThreadTasks(buffer) {
  const parsed = JSON.parse(buffer.toString());
  const events = parsed.traceEvents ?? parsed;
  const names = new Map();
  for (const e of events) if (e.name === "thread_name") names.set(`${e.pid}:${e.tid}`, e.args.name);
  const cpu = [];
  const wall = [];
  for (const e of events) {
    if (e.name !== "RunTask" || e.ph !== "X" || names.get(`${e.pid}:${e.tid}`) !== "CrRendererMain") continue;
    cpu.push((e.tdur ?? e.dur) / 1000);
    wall.push(e.dur / 1000);
  }
  return {
    tasks: cpu.length,
    busy_cpu_ms: round(cpu.reduce((a, b) => a + b, 0), 0),
    longest_task_cpu_ms: round(maximum(cpu)),
    tasks_over_50ms_cpu: cpu.filter((t) => t > 50).length,
    longest_task_wall_ms: round(maximum(wall)),
  };
}

/** `phase` with a trace around it: adds the main thread's CPU view. */
async function tracedPhase(browser, page, act) {
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
  const stats = await phase(page, act);
  stats.main_thread = mainThreadTasks(await browser.stopTracing());
  return stats;
}

async function heapMB(cdp, collect) {
  if (collect) await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return round(usedSize / 1e6, 2);
}

/** Frames and long tasks of one phase: `act` runs while they are recorded. */
async function phase(page, act) {
  await page.evaluate(() => {
    window.__bench.frames = [];
    window.__bench.longTasks = [];
    window.__bench.recordFrames = true;
  });
  const started = Date.now();
  await act();
  const seconds = (Date.now() - started) / 1000;
  const { frames, longTasks } = await page.evaluate(() => {
    window.__bench.recordFrames = false;
    return { frames: window.__bench.frames, longTasks: window.__bench.longTasks };
  });
  return frameStats(frames, longTasks, seconds);
}

async function scrollFor(page, seconds) {
  await page.evaluate(async (ms) => {
    const end = performance.now() + ms;
    let direction = 1;
    while (performance.now() < end) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      window.scrollBy(0, direction * 60);
      if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2) direction = -1;
      if (window.scrollY <= 0) direction = 1;
    }
    window.scrollTo(0, 0);
  }, seconds * 1000);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: settings.chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--enable-precise-memory-info"],
  });
  const context = await browser.newContext({ baseURL: settings.baseURL, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => log("page error:", error.message));

  // Sign in (the refresh cookie then restores the session on the measured load).
  await page.goto("/login");
  await page.getByLabel("Username or e-mail").fill(settings.username);
  await page.getByLabel("Password", { exact: true }).fill(settings.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/hosts/);
  await page.evaluate(() => localStorage.removeItem("sm-hosts-view"));

  // The measured load: cold cache, as a first visit.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const scripts = new Map();
  cdp.on("Network.responseReceived", (event) => {
    // Each file once (a modulepreload and its import are two requests with the cache off).
    if (event.type === "Script" && ![...scripts.values()].some((s) => s.url === event.response.url)) scripts.set(event.requestId, { url: event.response.url, encoding: event.response.headers["content-encoding"] ?? event.response.headers["Content-Encoding"] ?? "none", bytes: 0 });
  });
  cdp.on("Network.loadingFinished", (event) => {
    const script = scripts.get(event.requestId);
    if (script) script.bytes = event.encodedDataLength;
  });
  await page.addInitScript(instrument, settings.hosts);
  await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] });
  await page.goto("/hosts", { waitUntil: "commit" });
  await page.waitForFunction(() => window.__bench?.shownAt != null, null, { timeout: 60_000, polling: 50 });
  await page.waitForTimeout(QUIET_MS + 500);
  const loadThread = mainThreadTasks(await browser.stopTracing());
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
  for (const script of scripts.values()) {
    const raw = await (await context.request.get(script.url, { headers: { "Accept-Encoding": "identity" } })).body();
    script.raw = raw.length;
    script.gzip9 = gzipSync(raw, { level: 9 }).length;
  }
  const load = await page.evaluate(() => ({
    shownAt: window.__bench.shownAt,
    longTasks: window.__bench.longTasks,
    nav: performance.getEntriesByType("navigation")[0]?.toJSON(),
  }));
  const interactive = interactiveAt(load.shownAt, load.longTasks);
  const js = [...scripts.values()];
  log(`hosts shown at ${round(load.shownAt)} ms, interactive at ${round(interactive)} ms, ${js.length} scripts`);

  // Typing in the search box: input to next paint (Event Timing), then to the filtered grid.
  const search = page.getByRole("searchbox", { name: "Search hosts" });
  await page.evaluate(() => (window.__bench.events = []));
  const typedAt = await page.evaluate(() => performance.now());
  await search.pressSequentially(`host-${String(settings.hosts - 1).padStart(5, "0")}`, { delay: 30 }); // the last one
  await page.waitForFunction(() => document.querySelector("[data-hosts-shown]")?.getAttribute("data-hosts-shown") === "1", null, { polling: "raf" });
  const filteredAt = await page.evaluate(() => performance.now());
  const searchEvents = await page.evaluate(() => window.__bench.events);
  await search.fill("");
  await page.waitForFunction((n) => document.querySelector("[data-hosts-shown]")?.getAttribute("data-hosts-shown") === String(n), settings.hosts, { polling: "raf" });

  // Live updates for `seconds`: frames, long tasks and the heap, sampled every 10 s. The heap's
  // baseline is taken after a warm-up (rings filling, code optimised), not at first paint.
  const heapAtLoad = await heapMB(cdp, true);
  await page.waitForTimeout(WARMUP_MS);
  const heapStart = await heapMB(cdp, true);
  const samples = [];
  const changes = { seen: 0 };
  const watch = async () => {
    const end = Date.now() + settings.seconds * 1000;
    let previous = "";
    let nextHeap = Date.now();
    while (Date.now() < end) {
      const text = await page.locator("article[data-host-card]").first().locator("dd").first().textContent();
      if (previous && text !== previous) changes.seen += 1;
      previous = text ?? "";
      if (Date.now() >= nextHeap) {
        samples.push({ t: round((settings.seconds * 1000 - (end - Date.now())) / 1000, 0), mb: await heapMB(cdp, false) });
        nextHeap += 10_000;
      }
      await page.waitForTimeout(1000);
    }
  };
  const loadBefore = loadavg()[0];
  const streaming = await tracedPhase(browser, page, watch);
  const heapEnd = await heapMB(cdp, true);
  log(`streaming: longest frame ${streaming.longest_frame_ms} ms, ${streaming.long_tasks} long tasks`);

  const scrollGrid = await tracedPhase(browser, page, () => scrollFor(page, 15));
  await page.getByRole("button", { name: "Table" }).click();
  await page.locator("tbody tr[data-host-row]").first().waitFor();
  const scrollTable = await tracedPhase(browser, page, () => scrollFor(page, 15));
  await page.evaluate(() => (window.__bench.events = []));
  await page.getByRole("button", { name: "CPU", exact: true }).click();
  await page.waitForTimeout(500);
  const sortEvents = await page.evaluate(() => window.__bench.events.filter((e) => e.name === "click" || e.name === "pointerup"));
  await page.getByRole("button", { name: "Grid" }).click();

  await browser.close();
  const nav = load.nav ?? {};
  process.stdout.write(
    JSON.stringify({
      initial_js: {
        files: js.length,
        transferred_kb: round(js.reduce((sum, s) => sum + s.bytes, 0) / 1024), // as served, headers included
        gzip9_kb: round(js.reduce((sum, s) => sum + (s.gzip9 ?? 0), 0) / 1024), // what precompressed .gz files would send
        raw_kb: round(js.reduce((sum, s) => sum + (s.raw ?? 0), 0) / 1024),
        encodings: [...new Set(js.map((s) => s.encoding))],
        largest: js
          .sort((a, b) => b.bytes - a.bytes)
          .slice(0, 6)
          .map((s) => ({ file: s.url.split("/").pop(), kb: round(s.bytes / 1024) })),
      },
      load: {
        response_end_ms: round(nav.responseEnd),
        dom_content_loaded_ms: round(nav.domContentLoadedEventEnd),
        hosts_shown_ms: round(load.shownAt),
        interactive_ms: round(interactive),
        long_tasks: load.longTasks.map((t) => ({ start_ms: round(t.start), ms: round(t.duration) })),
        main_thread: loadThread,
      },
      search: {
        typed_to_filtered_ms: round(filteredAt - typedAt), // 10 keys 30 ms apart + the box's 200 ms pause
        slowest_key_to_paint_ms: round(maximum(searchEvents.map((e) => e.duration))),
      },
      streaming: { ...streaming, first_card_changes: changes.seen },
      scroll_grid: scrollGrid,
      scroll_table: scrollTable,
      sort_click_to_paint_ms: round(maximum(sortEvents.map((e) => e.duration))),
      heap_mb: { after_gc_at_load: heapAtLoad, after_gc_start: heapStart, after_gc_end: heapEnd, samples },
      load_average: { before_streaming: round(loadBefore, 2), at_end: round(loadavg()[0], 2) },
    }) + "\n",
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
