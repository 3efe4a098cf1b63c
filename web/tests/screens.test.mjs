// The browser game's reference screens, compared with tests/data/screens/web-*.png: the
// title, a turn with at least four media and the week's timeline, the press conference as
// a scene, and the workshop's projector view, in English and in Japanese, in headless
// Chromium at 1600×900 with reduced motion (every screen is final at once). Each image is
// taken once the page has drawn the same picture twice, and compared tile by tile as the
// desktop screenshots are (tests/screenshots.rs): a missing line of text fails.
//
// After a deliberate change to a screen: look at web/dist/screenshots/web-*.png, then run
// `TTX_UPDATE_SCREENS=1 npm test -- --test-name-pattern "reference screens"` in web/ to make
// them the references.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { dist, driver, launch, root, serve, shots, ttxServe } from "./lib.mjs";

const references = path.join(root, "tests", "data", "screens");

// The tolerances of tests/screenshots.rs: a pixel changed when a channel moved by more
// than CHANNEL; a screen fails when more than SHARE of its pixels changed or any TILE×TILE
// square has more than TILE_MAX changed pixels (one missing word is about a tile's worth).
const CHANNEL = 48;
const SHARE = 0.002;
const TILE = 32;
const TILE_MAX = 24;

/// What differs between two PNG images (null when they match within the tolerances).
export function difference(a, b) {
  if (a.width !== b.width || a.height !== b.height) return `size ${a.width}×${a.height}, reference ${b.width}×${b.height}`;
  const tilesX = Math.ceil(a.width / TILE);
  const tiles = new Uint32Array(tilesX * Math.ceil(a.height / TILE));
  let changed = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      if (Math.abs(a.data[i] - b.data[i]) > CHANNEL || Math.abs(a.data[i + 1] - b.data[i + 1]) > CHANNEL
        || Math.abs(a.data[i + 2] - b.data[i + 2]) > CHANNEL) {
        changed++;
        tiles[Math.floor(y / TILE) * tilesX + Math.floor(x / TILE)]++;
      }
    }
  }
  let worst = 0;
  for (let t = 1; t < tiles.length; t++) if (tiles[t] > tiles[worst]) worst = t;
  const share = changed / (a.width * a.height);
  if (share <= SHARE && tiles[worst] <= TILE_MAX) return null;
  const [tx, ty] = [(worst % tilesX) * TILE, Math.floor(worst / tilesX) * TILE];
  return `${changed} pixels changed (${(share * 100).toFixed(2)}%; at most ${SHARE * 100}%), `
    + `${tiles[worst]} in the tile at ${tx},${ty} (at most ${TILE_MAX})`;
}

/// A screenshot of the page once two in a row are the same picture (the game has drawn
/// what it shows and stopped changing), saved as web/dist/screenshots/`name`.png.
async function settled(page, name) {
  const end = Date.now() + 60_000;
  let last = await page.screenshot();
  for (;;) {
    await page.waitForTimeout(400);
    const next = await page.screenshot();
    if (next.equals(last)) break;
    assert.ok(Date.now() < end, `${name}: the screen never stopped changing`);
    last = next;
  }
  const file = path.join(shots, `${name}.png`);
  fs.writeFileSync(file, last);
  return file;
}

/// Compares web/dist/screenshots/`name`.png with its reference (or, with
/// TTX_UPDATE_SCREENS=1, makes it the reference). The failures, as text.
function compare(name) {
  const shot = path.join(shots, `${name}.png`);
  const reference = path.join(references, `${name}.png`);
  if (process.env.TTX_UPDATE_SCREENS === "1") {
    fs.copyFileSync(shot, reference);
    return [];
  }
  if (!fs.existsSync(reference)) return [`${name}: no reference ${reference} (TTX_UPDATE_SCREENS=1 makes one)`];
  const why = difference(PNG.sync.read(fs.readFileSync(shot)), PNG.sync.read(fs.readFileSync(reference)));
  return why ? [`${name}: ${why} (look at ${shot})`] : [];
}

const LANGS = [["en", "en-US"], ["ja", "ja-JP"]];
const VIEWPORT = { width: 1600, height: 900 };

test("the comparison finds one word changed and passes the same picture", () => {
  const png = (paint) => {
    const p = new PNG({ width: 320, height: 180 });
    p.data.fill(30);
    for (let i = 3; i < p.data.length; i += 4) p.data[i] = 255;
    paint(p);
    return p;
  };
  // "A word": a 24×10 block of light pixels in a dark screen.
  const word = (p) => {
    for (let y = 50; y < 60; y++) for (let x = 100; x < 124; x++) p.data.fill(220, (y * 320 + x) * 4, (y * 320 + x) * 4 + 3);
  };
  assert.equal(difference(png(word), png(word)), null);
  assert.match(difference(png(word), png(() => {})), /240 pixels changed/);
  // Antialiasing-sized changes pass: a channel off by less than the tolerance.
  assert.equal(difference(png(word), png((p) => { word(p); p.data[(55 * 320 + 110) * 4] = 220 - CHANNEL; })), null);
  assert.match(difference(png(word), new PNG({ width: 10, height: 10 })), /size/);
});

test("reference screens: title, a turn in four media, the press conference, the projector, in English and Japanese", { timeout: 1_200_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  fs.mkdirSync(shots, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ttx-screens-")), "workshops.sqlite3");
  // A fixed port: the dashboard shows the server's address, so the picture depends on it.
  const port = "47292";
  const workshop = ttxServe(["--port", port, "--db", db, "--teams", "Red,Blue", "--seed", "7"], "facilitator");
  const out = await workshop.ready;
  const facilitator = out.split("\n").find((l) => l.startsWith("facilitator")).split(": ").pop().trim();
  assert.match(facilitator, /^http:\/\/127\.0\.0\.1:\d+\/\?join=[0-9a-f]{32}$/);
  const browser = await launch();
  const failures = [];
  try {
    for (const [lang, locale] of LANGS) {
      const context = await browser.newContext({ viewport: VIEWPORT, locale, reducedMotion: "reduce" });
      const page = await context.newPage();
      page.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
      const { ready, until, press } = driver(page);
      await page.goto(base);
      await ready();
      await until((s) => s.screen === "Title" && s.lang === lang, `the title in ${lang}`);
      await settled(page, `web-${lang}-1-title`);

      // 7pay with the defaults, up to the first turn with injects in four media or more.
      await press("1");
      await until((s) => s.screen === "Briefing", "the briefing");
      await press("Enter");
      let s = await until((n) => n.screen === "Playing" && n.turn === 0, "the first turn");
      while (s.channels.length < 4) {
        assert.ok(s.turn < s.turns - 1, `no turn had four media: ${JSON.stringify(s.channels)}`);
        const turn = s.turn;
        await press("Enter");
        await until((n) => n.screen === "Summary", "the summary");
        await press("Enter");
        s = await until((n) => n.screen === "Playing" && n.turn === turn + 1, `turn ${turn + 2}`);
      }
      console.log(`${lang}: turn ${s.turn + 1} brings ${s.channels.join(", ")}`);
      await settled(page, `web-${lang}-2-turn`);

      // On to the press conference: the first decision due, staged as a scene.
      while (!s.decision_due) {
        assert.ok(s.turn < s.turns - 1, "no decision came up");
        const turn = s.turn;
        await press("Enter");
        await until((n) => n.screen === "Summary", "the summary");
        await press("Enter");
        s = await until((n) => n.screen === "Playing" && n.turn === turn + 1, `turn ${turn + 2}`);
      }
      await settled(page, `web-${lang}-3-scene`);
      await context.close();

      // The facilitator's dashboard of a workshop no team has joined yet, on the projector.
      const dash = await browser.newContext({ viewport: VIEWPORT, locale, reducedMotion: "reduce" });
      const fpage = await dash.newPage();
      const f = driver(fpage);
      await fpage.goto(facilitator);
      await f.ready();
      await f.until((n) => n.screen === "Workshop" && n.workshop?.connected && n.lang === lang, "the dashboard");
      await f.press("p");
      await settled(fpage, `web-${lang}-4-projector`);
      await dash.close();
      for (const name of ["1-title", "2-turn", "3-scene", "4-projector"]) failures.push(...compare(`web-${lang}-${name}`));
    }
  } finally {
    await browser.close();
    server.close();
    workshop.child.kill("SIGKILL");
  }
  assert.deepEqual(failures, [], "the browser's screens differ from their references");
});
