// Lighthouse (mobile preset: simulated slow 4G, 4x CPU slowdown, a phone's screen) on pages of
// a running production build, signed in: the session is put in the browser's localStorage first
// (over the DevTools protocol: no Puppeteer, no Playwright), and Lighthouse keeps storage.
//
//   CHROME_PATH=/usr/bin/chromium node --experimental-websocket scripts/lighthouse-mobile.mjs job.json
//
// job.json: {"origin": "http://127.0.0.1:3000", "storage": {"key": "value"}, "urls": [...], "runs": 1}
// Prints one JSON object per URL: scores and the metrics in ms (the median run by performance).
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
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

/** Open the app's origin in the browser's first tab and write the storage there. */
async function seedStorage() {
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
  await send("Page.navigate", { url: `${job.origin}/login` });
  await new Promise((r) => setTimeout(r, 3000));
  const script = Object.entries(job.storage)
    .map(([k, v]) => `localStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join("");
  const answer = await send("Runtime.evaluate", { expression: `${script} localStorage.length` });
  if (!answer.result?.result?.value) throw new Error(`could not seed localStorage: ${JSON.stringify(answer)}`);
  socket.close();
}

try {
  await seedStorage();
  for (const url of job.urls) {
    const runs = [];
    for (let i = 0; i < (job.runs ?? 1); i++) {
      const { lhr } = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        disableStorageReset: true,
        onlyCategories: ["performance", "accessibility"],
      });
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
