// Lighthouse (mobile preset: simulated slow 4G, 4x CPU slowdown, a phone's screen) on pages of
// a running production build, signed in: the session is put in the browser's localStorage first
// (over the DevTools protocol: no Puppeteer, no Playwright), and Lighthouse keeps storage.
//
//   CHROME_PATH=/usr/bin/chromium node --experimental-websocket scripts/lighthouse-mobile.mjs job.json
//
// job.json: {"origin": "http://127.0.0.1:3000", "storage": {"key": "value"}, "urls": [...],
//            "runs": 1, "visit": "signed-in" | "cold" | "repeat"}
// Each run opens a page the servers have rendered once (as a deployed site's have), with the
// session kept, and the browser's HTTP cache as `visit` says:
// - "signed-in" (the default): a marketer's first visit to the page, arriving from sign-in:
//   the cache emptied, then /login loaded (which goes on to /campaigns), so what those pages
//   load (the framework) is cached and the page's own code is not;
// - "cold": nothing cached at all (a phone whose cache was cleared, still signed in);
// - "repeat": whatever the page's earlier runs left cached.
// Prints one JSON object per URL: scores and the metrics in ms (the median run by performance).
// With LIGHTHOUSE_REPORTS=<folder>, every run's whole report is kept there too (to see what
// blocked).
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const profile = mkdtempSync(join(tmpdir(), "lighthouse-profile-"));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  userDataDir: profile,
  chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

/** A DevTools protocol session on the browser's first tab: `send(method, params)`. */
async function firstTab() {
  const targets = await (await fetch(`http://127.0.0.1:${chrome.port}/json/list`)).json();
  const tab = targets.find((t) => t.type === "page");
  const socket = new WebSocket(tab.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let id = 0;
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    }
  };
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      id += 1;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

const settle = () => new Promise((r) => setTimeout(r, 3000));

async function prepareVisit(tab, visit) {
  if (visit === "repeat") return;
  await tab.send("Network.clearBrowserCache");
  if (visit === "signed-in") {
    await tab.send("Page.navigate", { url: `${job.origin}/login` });
    await settle();
  }
  await tab.send("Page.navigate", { url: "about:blank" });
}

/** Open the app's origin and write the storage there (the session). */
async function seedStorage(tab) {
  await tab.send("Page.navigate", { url: `${job.origin}/login` });
  await settle();
  const script = Object.entries(job.storage)
    .map(([k, v]) => `localStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join("");
  const answer = await tab.send("Runtime.evaluate", { expression: `${script} localStorage.length` });
  if (!answer.result?.result?.value) throw new Error(`could not seed localStorage: ${JSON.stringify(answer)}`);
}

try {
  const tab = await firstTab();
  await seedStorage(tab);
  for (const url of job.urls) {
    // The servers have rendered the page once (as a deployed site has); the browser has not.
    await tab.send("Page.navigate", { url });
    await settle();
    const runs = [];
    for (let i = 0; i < (job.runs ?? 1); i++) {
      // Lighthouse keeps storage (the session is in localStorage) and so the HTTP cache too.
      await prepareVisit(tab, job.visit ?? "signed-in");
      const { lhr } = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        disableStorageReset: true,
        onlyCategories: ["performance", "accessibility"],
      });
      if (process.env.LIGHTHOUSE_REPORTS) {
        const name = new URL(url).pathname.replaceAll("/", "_");
        writeFileSync(join(process.env.LIGHTHOUSE_REPORTS, `${name}-${i + 1}.json`), JSON.stringify(lhr));
      }
      const audit = (name) => lhr.audits[name]?.numericValue ?? null;
      runs.push({
        url,
        finalUrl: lhr.finalDisplayedUrl,
        performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
        accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
        fcp: audit("first-contentful-paint"),
        lcp: audit("largest-contentful-paint"),
        tbt: audit("total-blocking-time"),
        cls: audit("cumulative-layout-shift"),
        si: audit("speed-index"),
        lcpElement: lhr.audits["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node?.snippet ?? null,
        failedA11y: Object.values(lhr.audits)
          .filter((a) => a.score === 0 && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id))
          .map((a) => a.id),
        lighthouse: lhr.lighthouseVersion,
      });
    }
    runs.sort((a, b) => a.performance - b.performance);
    console.log(JSON.stringify(runs[Math.floor(runs.length / 2)]));
  }
} finally {
  await chrome.kill();
  rmSync(profile, { recursive: true, force: true });
}
