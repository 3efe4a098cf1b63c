// Measures the browser game's start-up in headless Chromium: the time from the page
// starting the wasm download to the game's first interactive frame (window.ttxFirstFrameMs,
// set by index.html once the game has drawn and published its state), as a desktop sees it
// and with the CPU throttled 4× (Chromium's DevTools emulation, a phone-class CPU), also
// over a 5 Mbit/s link (a shared conference Wi-Fi). The files are served the way
// `ttx serve` serves them: the precompressed brotli copy web/build.sh writes.
// Usage: node web/measure.mjs [RUNS]  (after web/build.sh; prints a Markdown table)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./tests/lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "dist");
const runs = Math.max(1, Math.min(20, Number(process.argv[2] ?? 3) || 3));

if (!fs.existsSync(path.join(dist, "ttx_bg.wasm.br"))) {
  console.error("web/dist has no ttx_bg.wasm.br: run web/build.sh first");
  process.exit(2);
}

const server = await serve({ brotli: true });
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

/// One cold start (a new context: no cache, no service worker) under the given throttling.
async function once(cpu, mbit) {
  const context = await browser.newContext({ viewport: { width: 412, height: 839 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
  if (mbit) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 40, downloadThroughput: (mbit * 1e6) / 8, uploadThroughput: (mbit * 1e6) / 8,
    });
  }
  try {
    await page.goto(base);
    await page.waitForFunction(() => document.body.dataset.ready === "1" || document.body.dataset.failed, null, { timeout: 600_000 });
    const failed = await page.evaluate(() => document.body.dataset.failed);
    if (failed) throw new Error(`the page reported: ${failed}`);
    return await page.evaluate(() => window.ttxFirstFrameMs);
  } finally {
    await context.close();
  }
}

const cases = [
  ["this machine's CPU, loopback", 1, 0],
  ["CPU throttled 4×, loopback", 4, 0],
  ["CPU throttled 4×, 5 Mbit/s link", 4, 5],
];
const size = fs.statSync(path.join(dist, "ttx_bg.wasm.br")).size;
console.log(`wasm served brotli: ${size} bytes; ${runs} cold starts per row\n`);
console.log("| start-up (download start → first interactive frame) | median | range |");
console.log("|---|---|---|");
try {
  for (const [what, cpu, mbit] of cases) {
    const ms = [];
    for (let i = 0; i < runs; i++) ms.push(await once(cpu, mbit));
    ms.sort((a, b) => a - b);
    const s = (x) => `${(x / 1000).toFixed(1)} s`;
    console.log(`| ${what} | ${s(ms[Math.floor(ms.length / 2)])} | ${s(ms[0])}–${s(ms[ms.length - 1])} |`);
  }
} finally {
  await browser.close();
  server.close();
}
