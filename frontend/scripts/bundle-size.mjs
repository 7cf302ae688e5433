// First-load JS per route (gzip), read from a finished build's manifests:
//
//   node scripts/bundle-size.mjs [distDir] [--json]
//
// A route's first load is the root main files every page needs (build-manifest.json's
// rootMainFiles) plus the chunks its client-reference manifest lists for the route's entries
// (root and group layouts, the page, its error and loading boundaries); each file counted
// once, gzip-compressed at the default level, as a browser downloads it. Polyfills are left
// out: only browsers without ES modules load them.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const asJson = args.includes("--json");
const distDir = args.find((arg) => !arg.startsWith("--")) ?? ".next";

const buildManifest = JSON.parse(readFileSync(join(distDir, "build-manifest.json"), "utf8"));
const rootMainFiles = buildManifest.rootMainFiles ?? [];

const gzipped = new Map();
function gzipSize(file) {
  if (!gzipped.has(file)) {
    gzipped.set(file, gzipSync(readFileSync(join(distDir, file))).length);
  }
  return gzipped.get(file);
}

function* manifests(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* manifests(path);
    else if (name === "page_client-reference-manifest.js") yield path;
  }
}

function routeOf(manifestPath) {
  // server/app/(dashboard)/ai-studio/page_client-reference-manifest.js -> /ai-studio
  const segments = relative(join(distDir, "server", "app"), manifestPath).split(sep).slice(0, -1);
  const shown = segments.filter((s) => !(s.startsWith("(") && s.endsWith(")")));
  return "/" + shown.join("/");
}

const rows = [];
for (const manifestPath of manifests(join(distDir, "server", "app"))) {
  const context = { globalThis: {} };
  runInNewContext(readFileSync(manifestPath, "utf8"), context);
  const manifest = Object.values(context.globalThis.__RSC_MANIFEST)[0];
  const files = new Set(rootMainFiles);
  for (const chunks of Object.values(manifest.entryJSFiles ?? {})) {
    for (const chunk of chunks) files.add(chunk.replace(/^\/_next\//, ""));
  }
  const bytes = [...files].reduce((sum, file) => sum + gzipSize(file), 0);
  rows.push({ route: routeOf(manifestPath), kB: Math.round((bytes / 1000) * 10) / 10 });
}
rows.sort((a, b) => a.route.localeCompare(b.route));

if (asJson) {
  console.log(JSON.stringify(rows));
} else {
  for (const { route, kB } of rows) console.log(`${route.padEnd(32)} ${kB.toFixed(1).padStart(7)} kB`);
}
