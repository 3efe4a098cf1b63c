// What the browser tests share: the page's files served from web/dist, Chromium, a driver
// reading the game's state, `ttx serve` from the cargo build, and taps by a target's name.
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import net from "node:net";
import os from "node:os";
import { chromium } from "playwright-core";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const dist = path.resolve(here, "..", "dist");
export const shots = path.resolve(here, "..", "dist", "screenshots");
export const root = path.resolve(here, "..", "..");
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".ron": "text/plain", ".txt": "text/plain" };

/// web/dist over HTTP on a loopback port; with `brotli`, a file's precompressed `.br` copy
/// to a browser that accepts it (as `ttx serve` does).
export function serve({ brotli = false } = {}) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, "http://localhost");
      const file = path.join(dist, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname));
      if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404).end("not found");
        return;
      }
      const br = brotli && /\bbr\b/.test(req.headers["accept-encoding"] ?? "") && fs.existsSync(`${file}.br`);
      const body = fs.readFileSync(br ? `${file}.br` : file);
      const headers = { "content-type": types[path.extname(file)] ?? "application/octet-stream", "content-length": body.length };
      if (br) headers["content-encoding"] = "br";
      res.writeHead(200, headers).end(body);
    });
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

export const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

/// Waiting on the page and reading its state (window.ttx.ttx_state()).
export function driver(page) {
  const ready = async () => {
    await page.waitForFunction(() => document.body.dataset.ready === "1" || document.body.dataset.failed, null, { timeout: 300_000 });
    const failed = await page.evaluate(() => document.body.dataset.failed);
    assert.equal(failed, undefined, `the page reported: ${failed}`);
  };
  const state = async () => JSON.parse(await page.evaluate(() => window.ttx.ttx_state()));
  const until = async (pred, what) => {
    const end = Date.now() + 120_000;
    let s;
    while (Date.now() < end) {
      s = await state();
      if (pred(s)) return s;
      await page.waitForTimeout(150);
    }
    assert.fail(`timed out waiting for ${what}; last state ${JSON.stringify(s)}`);
  };
  const press = async (key) => {
    if (await page.evaluate(() => document.activeElement?.id !== "ttx-ime")) await page.focus("#ttx-canvas");
    await page.keyboard.press(key);
  };
  return { ready, state, until, press };
}

/// A free loopback port (so a restarted server can listen on the same one).
export const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/// `ttx serve` from the cargo build (CI built it for the app's tests); resolves with its
/// output once it printed `until`.
export function ttxServe(args, until) {
  const target = process.env.CARGO_TARGET_DIR ?? path.join(os.homedir(), ".cache", "ttx-target");
  const bin = process.env.TTX_BIN ?? path.join(target, "debug", "ttx");
  assert.ok(fs.existsSync(bin), `no ttx binary at ${bin}: build it (cargo build) or set TTX_BIN`);
  const child = spawn(bin, ["serve", "--web", dist, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const ready = new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => { out += d; if (out.includes(until)) resolve(out); });
    child.on("exit", (code) => reject(new Error(`ttx serve exited (${code}): ${out}`)));
  });
  return { child, ready };
}

export function touch(page) {
  const canvas = () => page.evaluate(() => {
    const c = document.getElementById("ttx-canvas");
    const r = c.getBoundingClientRect();
    return { buffer: [c.width, c.height], css: [r.width, r.height], at: [r.left, r.top], dpr: devicePixelRatio };
  });
  const state = async () => JSON.parse(await page.evaluate(() => window.ttx.ttx_state()));
  // CSS px per point: egui's pixels per point over the canvas buffer's pixels per CSS px.
  const zoom = (s, c) => s.pixels_per_point / (c.buffer[0] / c.css[0]);
  const place = async (name) => {
    const end = Date.now() + 30_000;
    let s, c;
    while (Date.now() < end) {
      [s, c] = [await state(), await canvas()];
      if (s.targets?.[name]) break;
      await page.waitForTimeout(150);
    }
    const r = s.targets?.[name];
    assert.ok(r, `no ${name} on the ${s.screen} screen; there are ${JSON.stringify(Object.keys(s.targets ?? {}))}`);
    const z = zoom(s, c);
    const [x, y, w, h] = [c.at[0] + r[0] * z, c.at[1] + r[1] * z, r[2] * z, r[3] * z];
    return { x, y, w, h, css: c.css };
  };
  const tap = async (name) => {
    const { x, y, w, h, css } = await place(name);
    assert.ok(w >= 43.5 && h >= 43.5, `${name} is ${w.toFixed(1)}×${h.toFixed(1)} CSS px, under 44×44`);
    assert.ok(x >= 0 && y >= 0 && x + w <= css[0] + 1 && y + h <= css[1] + 1,
      `${name} at ${[x, y, w, h].map((v) => v.toFixed(0))} is not all on the ${css} screen`);
    await page.touchscreen.tap(x + w / 2, y + h / 2);
  };
  return { canvas, state, zoom, place, tap };
}
