// End-to-end test of the browser game in headless Chromium (Debian's, driven by
// playwright-core): load, play, open custom and broken scenarios, reload and resume,
// check the determinism vectors, and save screenshots to look at.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { dist, driver, freePort, launch, root, serve, shots, touch, ttxServe } from "./lib.mjs";

test("the browser game plays, loads scenarios and resumes", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  fs.mkdirSync(shots, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  try {
    // An English browser: the game starts in English.
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
    page.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
    const fontRequests = [];
    page.on("request", (r) => { if (r.url().includes("/fonts/")) fontRequests.push(r.url()); });
    const { ready, state, until, press } = driver(page);

    const t0 = Date.now();
    await page.goto(base);
    await ready();
    const firstFrame = await page.evaluate(() => window.ttxFirstFrameMs);
    console.log(`first interactive frame: ${Math.round(firstFrame)} ms after the page started loading the wasm (${Date.now() - t0} ms wall, incl. page load)`);
    fs.writeFileSync(path.join(dist, "first-frame-ms.txt"), `${Math.round(firstFrame)}\n`);

    // The same engine, the same numbers: the shared determinism vectors pass here too.
    assert.equal(await page.evaluate(() => window.ttx.ttx_check_vectors()), "ok 4");

    await until((s) => s.screen === "Title" && s.lang === "en", "the title screen, in English");
    await page.screenshot({ path: path.join(shots, "1-title.png") });
    await press("1");
    await until((s) => s.screen === "Briefing" && s.scenario === "7pay-launch-week", "the 7pay briefing");
    await press("Enter");
    await until((s) => s.screen === "Playing" && s.turn === 0, "the first turn");
    await press("1");
    await until((s) => s.actions === 1 && s.points_left === 2, "a mitigation taken");
    await page.screenshot({ path: path.join(shots, "2-turn.png") });
    await press("Enter");
    await until((s) => s.screen === "Summary", "the turn summary");
    await page.screenshot({ path: path.join(shots, "3-summary.png") });
    await press("Enter");
    await until((s) => s.screen === "Playing" && s.turn === 1, "the second turn");

    // The facilitator console: F2 opens and closes it.
    await press("F2");
    await until((s) => s.console === true, "the facilitator console");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "7-console.png") });
    await press("F2");
    await until((s) => s.console === false, "the console closed");

    // A custom scenario through the page's file input.
    await page.setInputFiles("#ttx-file", path.join(root, "scenarios", "clinic-ransomware.ron"));
    await until((s) => s.screen === "Briefing" && s.scenario === "clinic-ransomware", "the custom scenario's briefing");

    // A broken one: the error panel, and the game stays where it was.
    const broken = fs.readFileSync(path.join(root, "scenarios", "clinic-ransomware.ron"), "utf8").replace("channel: News", "channel: Nwes");
    await page.setInputFiles("#ttx-file", { name: "broken.ron", mimeType: "text/plain", buffer: Buffer.from(broken) });
    const err = await until((s) => s.errors > 0, "the error panel");
    assert.equal(err.screen, "Briefing");
    assert.equal(err.scenario, "clinic-ransomware");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "4-errors.png") });

    // The Japanese font is not part of the wasm: it is fetched only when a scenario needs it.
    assert.ok(!fontRequests.length, "no font download for English scenarios");
    const fontArrived = page.waitForResponse((r) => r.url().endsWith("fonts/cjk-subset.otf"), { timeout: 60_000 });
    const japanese = fs
      .readFileSync(path.join(root, "scenarios", "clinic-ransomware.ron"), "utf8")
      .replace(/title: "[^"]*"/, 'title: "診療所のランサムウェア"');
    await page.setInputFiles("#ttx-file", { name: "japanese.ron", mimeType: "text/plain", buffer: Buffer.from(japanese) });
    await until((s) => s.screen === "Briefing" && s.errors === 0, "the Japanese scenario's briefing");
    assert.equal((await fontArrived).status(), 200);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(shots, "6-japanese.png") });

    // Reload: the autosave (7pay, after turn 1) resumes.
    await page.reload();
    await ready();
    const title = await until((s) => s.screen === "Title", "the title after reload");
    assert.equal(title.has_autosave, true);
    await press("c");
    await until((s) => s.screen === "Playing" && s.scenario === "7pay-launch-week" && s.turn === 1 && s.actions === 1, "the resumed game");
    await page.screenshot({ path: path.join(shots, "5-resumed.png") });

    // ?scenario=URL opens a scenario hosted next to the page.
    await page.goto(`${base}?scenario=clinic-ransomware.ron`);
    await ready();
    await until((s) => s.screen === "Briefing" && s.scenario === "clinic-ransomware", "the linked scenario");
  } finally {
    await browser.close();
    server.close();
  }
});

test("in Japanese: the browser's language, Japanese typed through an input method, the report", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  fs.mkdirSync(shots, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: "ja-JP", acceptDownloads: true });
    const page = await context.newPage();
    page.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
    const { ready, until, press } = driver(page);
    const fontArrived = page.waitForResponse((r) => r.url().endsWith("fonts/cjk-subset.otf"), { timeout: 300_000 });
    await page.goto(base);
    await ready();
    // navigator.languages is ja-JP: the game is in Japanese, and fetches the Japanese font.
    await until((s) => s.screen === "Title" && s.lang === "ja", "the title screen in Japanese");
    assert.equal((await fontArrived).status(), 200);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(shots, "ja-1-title.png") });

    // 7pay, told in Japanese.
    await press("1");
    const briefing = await until((s) => s.screen === "Briefing", "the briefing");
    assert.equal(briefing.title, "7pay：サービス開始の一週間");
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, "ja-2-briefing.png") });
    await press("Enter");
    await until((s) => s.screen === "Playing" && s.turn === 0, "the first turn");
    await press("1");
    await until((s) => s.actions === 1, "a mitigation taken");

    // N starts a note; the game moves the page's composition field to its caret.
    await press("n");
    await page.waitForFunction(() => document.activeElement?.id === "ttx-ime", null, { timeout: 10_000 });
    // An input method at work, as Chromium's DevTools protocol drives one: kana composed,
    // then the converted text committed.
    const cdp = await context.newCDPSession(page);
    const note = "不正利用の拡大を防ぐため";
    await cdp.send("Input.imeSetComposition", { text: "ふせいりよう", selectionStart: 6, selectionEnd: 6 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "ja-3-composing.png") });
    await cdp.send("Input.insertText", { text: note });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, "ja-4-turn.png") });
    await press("Enter");
    const noted = await until((s) => s.notes === 1, "the note in the log");
    assert.deepEqual([noted.screen, noted.turn], ["Playing", 0], "Enter in the note field notes; it does not end the turn");
    // The field hands the keyboard back: number keys take cards again.
    await page.waitForFunction(() => document.activeElement?.id === "ttx-canvas", null, { timeout: 10_000 });

    await press("Enter");
    await until((s) => s.screen === "Summary", "the turn summary");
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, "ja-5-summary.png") });
    await press("F2");
    await until((s) => s.console === true, "the facilitator console");
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, "ja-6-console.png") });
    await press("F2");
    await until((s) => s.console === false, "the console closed");
    // Through the remaining turns with the defaults.
    for (let i = 0; i < 80; i++) {
      const s = JSON.parse(await page.evaluate(() => window.ttx.ttx_state()));
      if (s.screen === "Debrief") break;
      await press("Enter");
      await page.waitForTimeout(200);
    }
    await until((s) => s.screen === "Debrief" && s.score !== null, "the debrief");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "ja-7-debrief.png") });

    // R exports the after-action report (HTML and Markdown); the note is in it, in Japanese.
    const downloads = [];
    page.on("download", (d) => downloads.push(d));
    await press("r");
    const end = Date.now() + 30_000;
    while (downloads.length < 2 && Date.now() < end) await page.waitForTimeout(100);
    assert.equal(downloads.length, 2, "the report's two files");
    const files = Object.fromEntries(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), fs.readFileSync(await d.path(), "utf8")])));
    const md = files["ttx-report.md"];
    assert.ok(md, `downloads: ${Object.keys(files)}`);
    assert.ok(md.includes(note), "the note typed through the input method is in the report");
    assert.ok(md.includes("事後レポート：7pay：サービス開始の一週間"), md.slice(0, 200));
    assert.ok(files["ttx-report.html"].includes(note));
    fs.writeFileSync(path.join(shots, "ja-report.md"), md);
  } finally {
    await browser.close();
    server.close();
  }
});


test("a live workshop: two browsers play one team's game, through a server crash", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm.br")), "web/build.sh writes precompressed copies");
  fs.mkdirSync(shots, { recursive: true });
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ttx-e2e-")), "workshops.sqlite3");
  const port = String(await freePort());
  let server = ttxServe(["--port", port, "--db", db, "--teams", "Red,Blue", "--seed", "5"], "facilitator");
  const out = await server.ready;
  // Each team's line: `Red: code K7QM-3XPR, link http://…/?join=…`.
  const redLine = out.split("\n").find((l) => l.trim().startsWith("Red: "));
  const red = redLine.split("link ").pop().trim();
  assert.match(red, /^http:\/\/127\.0\.0\.1:\d+\/\?join=[0-9a-f]{32}$/);
  const code = redLine.match(/code ([0-9A-Z]{4}-[0-9A-Z]{4})/)[1];
  const browser = await launch();
  try {
    const pages = [];
    for (let n = 0; n < 2; n++) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
      page.on("console", (m) => { if (m.type() === "error") console.log(`page ${n}:`, m.text()); });
      pages.push(page);
    }
    const [a, b] = pages.map(driver);
    // The game itself comes brotli-compressed from ttx serve.
    const wasm = pages[0].waitForResponse((r) => r.url().includes("ttx_bg.wasm"), { timeout: 300_000 });
    // A opens Red's link; B opens the server's page and types Red's code (J goes to the field).
    await Promise.all([pages[0].goto(red), pages[1].goto(`http://127.0.0.1:${port}/`)]);
    assert.equal((await wasm).headers()["content-encoding"], "br");
    await Promise.all([a.ready(), b.ready()]);
    await b.until((s) => s.screen === "Title", "B's title screen");
    await b.press("j");
    await pages[1].waitForFunction(() => document.activeElement?.id === "ttx-ime", null, { timeout: 10_000 });
    await pages[1].keyboard.type(code.toLowerCase(), { delay: 30 });
    await pages[1].keyboard.press("Enter");
    const joined = (s) => s.screen === "Briefing" && s.workshop?.team === "Red" && s.workshop.connected;
    await Promise.all([a.until(joined, "A joins Red"), b.until(joined, "B joins Red")]);

    // A takes card 1; B sees it. B ends the turn; both see the summary.
    await a.press("Enter");
    await b.press("Enter");
    await a.until((s) => s.screen === "Playing", "A plays");
    await b.until((s) => s.screen === "Playing", "B plays");
    await a.press("1");
    await Promise.all([a.until((s) => s.actions === 1, "A's move"), b.until((s) => s.actions === 1, "A's move on B's screen")]);
    await pages[1].screenshot({ path: path.join(shots, "workshop-team.png") });
    await b.press("Enter");
    const summary = (s) => s.screen === "Summary" && s.turn === 1;
    await Promise.all([a.until(summary, "A's summary"), b.until(summary, "B's summary")]);

    // The server dies and comes back on the same database: both pages reconnect by
    // themselves and play on where they were.
    server.child.kill("SIGKILL");
    const lost = (s) => s.workshop && !s.workshop.connected;
    await Promise.all([a.until(lost, "A sees the connection lost"), b.until(lost, "B sees it lost")]);
    await pages[0].screenshot({ path: path.join(shots, "workshop-lost.png") });
    server = ttxServe(["--port", port, "--db", db], "1 session(s) resumed");
    await server.ready;
    const back = (s) => s.workshop?.connected && s.turn === 1;
    await Promise.all([a.until(back, "A reconnects"), b.until(back, "B reconnects")]);
    await a.press("Enter");
    await a.until((s) => s.screen === "Playing", "A continues");
    await a.press("Enter");
    await Promise.all([a.until((s) => s.turn === 2, "turn 2 on A"), b.until((s) => s.turn === 2, "turn 2 on B")]);
    assert.equal((await b.state()).actions, 1, "the move made before the crash is still there");

    // The facilitator's link opens the dashboard with both teams' games.
    const boss = out.split("\n").find((l) => l.startsWith("facilitator")).split(": ").pop().trim();
    const fpage = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
    const f = driver(fpage);
    await fpage.goto(boss);
    await f.ready();
    const dash = await f.until((s) => s.screen === "Workshop" && s.workshop?.teams?.length === 2 && s.workshop.teams.every((t) => t.turn !== null), "the dashboard");
    assert.deepEqual(dash.workshop.teams.map((t) => [t.name, t.turn, t.actions]), [["Red", 2, 1], ["Blue", 0, 0]]);
    await f.until((s) => s.workshop.teams.map((t) => t.online).join() === "2,0", "both of Red's players shown connected");
    await fpage.waitForTimeout(500);
    await fpage.screenshot({ path: path.join(shots, "workshop-dashboard.png") });
    // R: one report for the whole workshop, both teams in it.
    const downloads = [];
    fpage.on("download", (d) => downloads.push(d));
    await f.press("r");
    const end = Date.now() + 60_000;
    while (downloads.length < 2 && Date.now() < end) await fpage.waitForTimeout(100);
    assert.equal(downloads.length, 2, "the workshop report's two files");
    const md = fs.readFileSync(await downloads.find((d) => d.suggestedFilename().endsWith(".md")).path(), "utf8");
    assert.ok(md.startsWith("# Workshop report: 7pay: launch week"), md.slice(0, 200));
    assert.ok(md.includes("# 1. Team ") && md.includes("# 2. Team "), "both teams' reports");
    fs.writeFileSync(path.join(shots, "workshop-report.md"), md);
  } finally {
    await browser.close();
    server.child.kill("SIGKILL");
  }
});

test("a facilitator creates a workshop in the browser and gets every team's link", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ttx-e2e-")), "workshops.sqlite3");
  const port = String(await freePort());
  const server = ttxServe(["--port", port, "--db", db], "operator link");
  const out = await server.ready;
  // The operator link ttx serve printed: `operator link (…): http://…/?operator=KEY`.
  const operator = out.split("\n").find((l) => l.startsWith("operator link")).split(": ").pop().trim();
  assert.match(operator, /^http:\/\/127\.0\.0\.1:\d+\/\?operator=[0-9a-f]{32}$/);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
    page.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
    const { ready, until, press } = driver(page);
    // Without the key (the server's page opened as a player would), W is refused and said so.
    await page.goto(`http://127.0.0.1:${port}/`);
    await ready();
    await until((s) => s.screen === "Title", "the title screen");
    await press("w");
    await until((s) => s.screen === "Title" && /operator key/.test(s.notice ?? ""), "the refusal, on the page");
    // The operator link: the key is kept for the tab and leaves the address bar.
    await page.goto(operator);
    await ready();
    assert.equal(new URL(page.url()).search, "", "the key is not left in the address bar");
    await until((s) => s.screen === "Title", "the title screen");
    await page.screenshot({ path: path.join(shots, "workshop-run-form.png") });
    // W: create a workshop with the default teams; the page joins it as the facilitator.
    await press("w");
    const dash = await until((s) => s.screen === "Workshop" && s.workshop?.teams?.length === 3 && s.workshop.teams.every((t) => t.turn === 0), "the new workshop's dashboard");
    assert.deepEqual(dash.workshop.teams.map((t) => t.name), ["Red", "Blue", "Green"]);
    assert.equal(dash.workshop.role, "Facilitator");
    assert.match(page.url(), /\/\?join=[0-9a-f]{32}$/, "the facilitator's link stays in the address bar");
    await page.screenshot({ path: path.join(shots, "workshop-created.png") });
    // L: every team's link, QR code and code to type, for the room's screen.
    assert.ok(dash.workshop.codes.every((c) => /^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(c)), `${dash.workshop.codes}`);
    await press("l");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "workshop-join-codes.png") });
    await press("l");

    // Red and Blue join with their codes and each take a card; the dashboard sees both.
    const teams = [];
    for (const [k, name] of [[0, "Red"], [1, "Blue"]]) {
      const tpage = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
      await tpage.goto(`http://127.0.0.1:${port}/?join=${dash.workshop.codes[k]}`);
      const t = driver(tpage);
      await t.ready();
      await t.until((s) => s.screen === "Briefing" && s.workshop?.team === name && s.workshop.connected, `${name} joins`);
      await t.press("Enter");
      await t.until((s) => s.screen === "Playing", `${name} plays`);
      await t.press("1");
      await t.until((s) => s.actions === 1, `${name}'s move`);
      teams.push(t);
    }
    await until((s) => s.workshop.teams.map((t) => t.actions).join() === "1,1,0", "both moves on the dashboard");
    // E: the facilitator ends the turn for every team; the ranking holds both teams, moved on.
    await press("e");
    await Promise.all(teams.map((t, k) => t.until((s) => s.turn === 1, `team ${k}'s turn ended by the facilitator`)));
    const after = await until((s) => s.workshop.teams.every((t) => t.turn === 1), "every team on turn 2");
    assert.deepEqual(after.workshop.teams.map((t) => t.name), ["Red", "Blue", "Green"]);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "workshop-dashboard-created.png") });
    // P: the projector view, in large type and without a control; with L, the join screen.
    await press("p");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "workshop-projector.png") });
    await press("l");
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, "workshop-projector-join.png") });
  } finally {
    await browser.close();
    server.child.kill("SIGKILL");
  }
});

test("roles at a live table: two players pick roles, see their own injects, propose, decide and vote", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  fs.mkdirSync(shots, { recursive: true });
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ttx-e2e-")), "workshops.sqlite3");
  const port = String(await freePort());
  const server = ttxServe(["--port", port, "--db", db, "--teams", "Red", "--seed", "5"], "facilitator");
  const out = await server.ready;
  const red = out.split("\n").find((l) => l.trim().startsWith("Red: ")).split("link ").pop().trim();
  const boss = out.split("\n").find((l) => l.startsWith("facilitator")).split(": ").pop().trim();
  const browser = await launch();
  try {
    const pages = [];
    for (let n = 0; n < 2; n++) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
      page.on("console", (m) => { if (m.type() === "error") console.log(`page ${n}:`, m.text()); });
      pages.push(page);
    }
    const [a, b] = pages.map(driver);
    await Promise.all(pages.map((p) => p.goto(red)));
    await Promise.all([a.ready(), b.ready()]);
    const joined = (s) => s.screen === "Briefing" && s.workshop?.team === "Red" && s.workshop.connected && s.workshop.me;
    await Promise.all([a.until(joined, "A joins Red"), b.until(joined, "B joins Red")]);
    // Each picks a name and roles on the briefing, by clicking: the name field, the role
    // boxes (lead, comms, engineering, support, top to bottom), then "Take these roles".
    const rows = { lead: 238, comms: 266, engineering: 294, support: 322 };
    for (const [page, name, roles] of [[pages[0], "Aiko", ["comms", "support"]], [pages[1], "Ken", ["engineering"]]]) {
      await page.mouse.click(181, 210);
      await page.waitForFunction(() => document.activeElement?.id === "ttx-ime", null, { timeout: 10_000 });
      await page.keyboard.type(name, { delay: 30 });
      // One click a frame or two: the page draws at its own pace.
      for (const r of roles) {
        await page.waitForTimeout(250);
        await page.mouse.click(27, rows[r]);
      }
      await page.waitForTimeout(250);
      await page.screenshot({ path: path.join(shots, `roles-pick-${name}.png`) });
      await page.mouse.click(104, 352);
    }
    await a.until((s) => s.workshop.held.join() === "comms,support", "Aiko holds comms and support");
    await b.until((s) => s.workshop.held.join() === "engineering", "Ken holds engineering");
    const seated = (s) => JSON.stringify(s.workshop.players.map((p) => p[0]).sort()) === '["Aiko","Ken"]';
    await Promise.all([a.until(seated, "both seated on A"), b.until(seated, "both seated on B")]);
    await pages[0].screenshot({ path: path.join(shots, "roles-briefing.png") });
    await a.press("Enter");
    await b.press("Enter");
    await a.until((s) => s.screen === "Playing", "A plays");
    await b.until((s) => s.screen === "Playing", "B plays");
    // The security review reaches engineering only.
    const review = "The pre-launch security review";
    await b.until((s) => s.feed.includes(review), "Ken reads the review");
    assert.ok(!(await a.state()).feed.includes(review), "Aiko does not");
    // Aiko presses 2 (Emergency capacity, engineering's): a proposal, not a move; Ken
    // accepts it with A, and it is made.
    await a.press("2");
    await b.until((s) => s.workshop.proposals.some((p) => p.state === "Open" && p.owner === "engineering" && p.by === "Aiko"), "the proposal reaches Ken");
    assert.equal((await a.state()).actions, 0, "a proposal is not a move");
    await pages[1].waitForTimeout(300);
    await pages[1].screenshot({ path: path.join(shots, "roles-proposal.png") });
    await b.press("a");
    await Promise.all([a.until((s) => s.actions === 1, "the move on A"), b.until((s) => s.actions === 1, "the move on B")]);
    await a.until((s) => s.workshop.proposals.some((p) => p.state.startsWith("Accepted")), "accepted, on A");
    // On 30 June Ken (engineering) proposes communications' card by clicking its Propose
    // button (scrolled into view); Aiko (communications) accepts it with A.
    await a.press("Enter");
    await a.until((s) => s.turn === 1 && s.screen === "Summary", "turn 1 on A");
    await a.press("Enter");
    await b.until((s) => s.turn === 1 && s.screen === "Summary", "turn 1 on B");
    await b.press("Enter");
    await b.until((s) => s.turn === 1 && s.screen === "Playing", "Ken on 30 June");
    await pages[1].mouse.move(790, 600);
    await pages[1].mouse.wheel(0, 1500);
    await pages[1].waitForTimeout(500);
    await pages[1].screenshot({ path: path.join(shots, "roles-scrolled.png") });
    // Found by its accessible name (the page's mirror of the game's controls), clicked where
    // the game draws it.
    const propose = pages[1].getByRole("button", { name: "Propose: Tell users to change reused passwords" });
    const box = await propose.boundingBox();
    assert.ok(box, "the Propose button is on the screen");
    const [px, py] = [box.x + box.width / 2, box.y + box.height / 2];
    await pages[1].mouse.move(px, py);
    await pages[1].waitForTimeout(150);
    await pages[1].mouse.click(px, py);
    await a.until((s) => s.workshop.proposals.some((p) => p.state === "Open" && p.owner === "comms" && p.by === "Ken"), "Ken's proposal reaches Aiko");
    assert.equal((await b.state()).actions, 1, "a proposal is not a move");
    await a.press("a");
    await Promise.all([a.until((s) => s.actions === 2, "the second move on A"), b.until((s) => s.actions === 2, "the second move on B")]);
    // Aiko ends the turns to 15 July; on 2 July the store lottery reaches support only.
    for (let turn = 2; turn <= 8; turn++) {
      await a.until((s) => s.screen === "Playing", `A on turn ${turn}`);
      await a.press("Enter");
      await a.until((s) => s.turn === turn && s.screen === "Summary", `turn ${turn} on A`);
      await a.press("Enter");
    }
    const lottery = "700-yen lottery at the same time";
    await b.until((s) => s.turn === 8, "Ken on 15 July");
    assert.ok((await a.state()).feed.includes(lottery), "Aiko (support) read the lottery");
    assert.ok(!(await b.state()).feed.includes(lottery), "Ken did not");
    // V puts the repair decision to a vote; nobody votes, so at its end the default is taken.
    await a.until((s) => s.screen === "Playing", "A on the decision");
    await a.press("v");
    await a.until((s) => s.workshop.votes.length === 1, "the vote is open");
    await pages[0].waitForTimeout(300);
    await pages[0].screenshot({ path: path.join(shots, "roles-vote.png") });
    const end = Date.now() + 200_000;
    let s = await a.state();
    while (Date.now() < end && !s.workshop.votes[0]?.result) {
      await pages[0].waitForTimeout(1000);
      s = await a.state();
    }
    assert.deepEqual(s.workshop.votes[0].result, ["wait_review", true], "the timed default");
    // The facilitator's dashboard names who holds which role; its report, who did what.
    const fpage = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
    const f = driver(fpage);
    await fpage.goto(boss);
    await f.ready();
    await f.until((st) => st.screen === "Workshop" && JSON.stringify(st.workshop.team_players[0] ?? []).includes("engineering"), "the dashboard's roles");
    await fpage.waitForTimeout(500);
    await fpage.screenshot({ path: path.join(shots, "roles-dashboard.png") });
    const downloads = [];
    fpage.on("download", (d) => downloads.push(d));
    await f.press("r");
    const until = Date.now() + 60_000;
    while (downloads.length < 2 && Date.now() < until) await fpage.waitForTimeout(100);
    const md = fs.readFileSync(await downloads.find((d) => d.suggestedFilename().endsWith(".md")).path(), "utf8");
    assert.ok(md.includes("## Who did what at the table"), md.slice(0, 400));
    assert.ok(md.includes("Ken (Engineering and security) · accepted take “Emergency capacity”, proposed by Aiko"), md);
    assert.ok(md.includes("Aiko (Communications, Customer and store support) · accepted take “Tell users to change reused passwords”, proposed by Ken"), md);
    assert.ok(md.includes("the team's vote ended in a tie or without votes"), md);
    fs.writeFileSync(path.join(shots, "roles-report.md"), md);
  } finally {
    await browser.close();
    server.child.kill("SIGKILL");
  }
});

test("a browser without WebAssembly SIMD is told so, in its language, and downloads nothing", { timeout: 120_000 }, async () => {
  const server = await serve();
  const wasmServed = [];
  server.on("request", (req) => { if (req.url.includes("ttx_bg.wasm")) wasmServed.push(req.url); });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  try {
    for (const [locale, words] of [["en-US", "WebAssembly SIMD"], ["ja-JP", "SIMDに対応していません"]]) {
      const page = await browser.newPage({ viewport: { width: 800, height: 600 }, locale });
      // An engine without SIMD: every module using v128 fails validation.
      await page.addInitScript(() => {
        const validate = WebAssembly.validate.bind(WebAssembly);
        WebAssembly.validate = (bytes) => !new Uint8Array(bytes).includes(123) && validate(bytes);
      });
      await page.goto(base);
      await page.waitForFunction(() => document.body.dataset.failed || document.body.dataset.ready, null, { timeout: 60_000 });
      const failed = await page.evaluate(() => document.body.dataset.failed);
      assert.ok(failed?.includes(words), `${locale}: the page says why: ${failed}`);
      assert.ok(await page.getByText(words, { exact: false }).isVisible(), `${locale}: the reason is on screen`);
      await page.close();
    }
    assert.equal(wasmServed.length, 0, `the game was not downloaded: ${wasmServed}`);
  } finally {
    await browser.close();
    server.close();
  }
});

test("after the first visit the game downloads nothing again and opens with the network gone", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "sw.js")), "web/build.sh copies the service worker");
  const server = await serve();
  const wasmServed = [];
  server.on("request", (req) => { if (req.url.includes("ttx_bg.wasm")) wasmServed.push(req.url); });
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
    page.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
    const { ready, until, press } = driver(page);
    await page.goto(base);
    await ready();
    // The page hands its download to the cache and registers the worker.
    await page.waitForFunction(() => document.body.dataset.offline === "1", null, { timeout: 60_000 });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    assert.equal(wasmServed.length, 1, `the first visit downloads the game once: ${wasmServed}`);

    // A second visit: the page from the network, the game from the cache.
    await page.reload();
    await ready();
    assert.equal(wasmServed.length, 1, `no second download: ${wasmServed}`);

    // The network gone (the server stopped): the game still opens and plays.
    await new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
    await page.reload();
    await ready();
    await until((s) => s.screen === "Title", "the title screen, offline");
    await press("1");
    await until((s) => s.screen === "Briefing" && s.scenario === "7pay-launch-week", "the 7pay briefing, offline");
    await page.screenshot({ path: path.join(shots, "9-offline.png") });
  } finally {
    await browser.close();
    server.close();
  }
});

/// A touch device's view of the game: the canvas's size, the game's state, and taps on the
/// game's main actions by name (`ttx_state().targets`, in points), each checked to be on the
/// screen and a touch target of 44×44 CSS px before it is tapped.

test("on a phone: the game fills the screen at the phone's pixel density, and taps land where they point", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  fs.mkdirSync(shots, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  try {
    // A 412×839 phone at a device pixel ratio of 2.625, touch only. Chromium's emulation
    // reports the canvas's device-pixel size (ResizeObserver's devicePixelContentBoxSize) as
    // its CSS size, unlike a real phone: the page has to notice.
    const context = await browser.newContext({
      viewport: { width: 412, height: 839 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true, locale: "en-US",
    });
    const page = await context.newPage();
    page.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
    const { ready, until } = driver(page);
    const { canvas, state, zoom, place, tap } = touch(page);
    await page.goto(base);
    await ready();
    // The screen the game lays out is the page's: its size in points times the text size
    // (M, 1.25 CSS px a point) is the canvas's CSS size, and egui's pixels per point are
    // the canvas buffer's pixels per CSS pixel times the text size.
    const fits = (s, c) => {
      if (!s.screen_points) return false;
      return Math.abs(zoom(s, c) - 1.25) < 0.01
        && s.screen_points.every((p, i) => Math.abs(p * zoom(s, c) - c.css[i]) <= 1)
        && s.screen_points.every((p, i) => Math.abs(p * s.pixels_per_point - c.buffer[i]) <= 2);
    };
    const fitted = async (what, w, h, screen) => {
      const end = Date.now() + 60_000;
      let s, c;
      while (Date.now() < end) {
        [s, c] = [await state(), await canvas()];
        if (s.screen === screen && c.css[0] === w && c.css[1] === h && fits(s, c)) break;
        await page.waitForTimeout(150);
      }
      console.log(`${what}: canvas ${JSON.stringify(c)}, the game's screen ${JSON.stringify(s.screen_points)} points at ${s.pixels_per_point} px a point`);
      assert.ok(fits(s, c), `${what}: the game's screen (${s.screen_points} points at ${s.pixels_per_point} px a point) is the canvas's (${JSON.stringify(c)})`);
      // Drawn sharp, at the phone's own pixel density, as on a real phone.
      assert.deepEqual(c.buffer, [Math.round(w * c.dpr), Math.round(h * c.dpr)], `${what}: the canvas buffer is its CSS size × devicePixelRatio`);
      await page.waitForTimeout(300);
      return s;
    };
    const shot = (name) => page.screenshot({ path: path.join(shots, `phone-${name}.png`) });
    await fitted("portrait", 412, 839, "Title");
    await shot("1-title");

    // A tap on the join field focuses it: the page's input field for the phone's keyboard
    // moves to the field's caret, and what the keyboard types goes into the field, not to
    // the title's shortcuts (a digit would start a scenario).
    const field = await place("join");
    await tap("join");
    await page.waitForFunction(() => document.activeElement?.id === "ttx-ime", null, { timeout: 10_000 });
    const ime = await page.evaluate(() => document.getElementById("ttx-ime").getBoundingClientRect().toJSON());
    assert.ok(Math.abs(ime.top + ime.height / 2 - (field.y + field.h / 2)) < 14, `the caret is in the tapped field: ${JSON.stringify(ime)} ${JSON.stringify(field)}`);
    await page.keyboard.type("k7qm 3");
    await page.waitForTimeout(1500);
    assert.equal((await state()).screen, "Title", "typing a code starts nothing");
    await shot("2-join-typed");
    for (let i = 0; i < 6; i++) await page.keyboard.press("Backspace");
    // Let the field's last keys settle (a loaded machine draws a frame a second or so).
    await page.waitForTimeout(1000);

    await tap("play");
    const briefing = await until((s) => s.screen === "Briefing", "the briefing, after a tap on Play");
    assert.equal(briefing.scenario, "7pay-launch-week");
    await page.waitForTimeout(300);
    await shot("3-briefing");
    await tap("start");
    await until((s) => s.screen === "Playing", "the turn, after a tap on Start");
    await page.waitForTimeout(300);
    await shot("4-turn");
    // No hover on a phone: a tap opens a card's details.
    await tap("details");
    await page.waitForTimeout(500);
    await shot("5-card-details");
    const before = await state();
    await tap("card");
    await until((s) => s.actions === before.actions + 1 && s.points_left < before.points_left, "a card taken by a tap");
    // A note through the phone keyboard's path (the page's input field).
    await tap("note_field");
    await page.waitForFunction(() => document.activeElement?.id === "ttx-ime", null, { timeout: 10_000 });
    // The on-screen keyboard comes up and takes the lower 40% of the screen (the page asks
    // for `interactive-widget=resizes-content`, so the page gets shorter): the field being
    // typed in is still wholly on what is left of the screen.
    await page.setViewportSize({ width: 412, height: 500 });
    await until((s) => s.screen_points && Math.abs(s.screen_points[1] * 1.25 - 500) <= 2, "the game, shorter above the keyboard");
    await page.waitForTimeout(300);
    const noteAt = await place("note_field");
    assert.ok(noteAt.y >= 0 && noteAt.y + noteAt.h <= 501, `the note field at y ${noteAt.y.toFixed(0)}–${(noteAt.y + noteAt.h).toFixed(0)} is under the keyboard (screen 500 px tall)`);
    await shot("5b-keyboard");
    await page.keyboard.type("launch day will be crowded");
    // A Japanese keyboard's composition on the phone (kana, then the converted text).
    const cdp = await context.newCDPSession(page);
    await cdp.send("Input.imeSetComposition", { text: "ちゅうい", selectionStart: 4, selectionEnd: 4 });
    await cdp.send("Input.insertText", { text: "、注意" });
    await page.setViewportSize({ width: 412, height: 839 });
    await until((s) => s.screen_points && Math.abs(s.screen_points[1] * 1.25 - 839) <= 2, "the keyboard gone");
    await tap("note");
    const noted = await until((s) => s.notes === 1, "the note, after a tap on Note it");
    assert.equal(noted.last_note, "launch day will be crowded、注意", "the phone keyboard's text and its Japanese composition are in the note");
    await tap("tab_feed");
    await page.waitForTimeout(500);
    await shot("6-feed");
    await tap("tab_dashboard");
    await page.waitForTimeout(500);
    await shot("7-dashboard");
    await tap("end_turn");
    await until((s) => s.screen === "Summary", "the summary, after a tap on End turn");
    await page.waitForTimeout(300);
    await shot("8-summary");
    await tap("next");
    await until((s) => s.screen === "Playing" && s.turn === 1, "the second turn");

    // Turned sideways: the game follows the new size, is still sharp, and still plays by touch.
    await page.setViewportSize({ width: 839, height: 412 });
    await fitted("landscape", 839, 412, "Playing");
    await shot("9-turn-landscape");
    await tap("tab_cards");
    await tap("end_turn");
    await until((s) => s.screen === "Summary" && s.turn === 2, "the summary in landscape");
    await page.waitForTimeout(300);
    await shot("10-summary-landscape");
    await tap("next");
    await until((s) => s.screen === "Playing" && s.turn === 2, "the third turn");
    await page.setViewportSize({ width: 412, height: 839 });
    await fitted("portrait again", 412, 839, "Playing");
    await shot("11-turn-portrait-again");
    // On to the debrief by touch: a decision's options are tapped in its window.
    let decided = false;
    for (let step = 0; step < 80; step++) {
      // A few frames for the screen and its targets to settle after the last tap.
      await page.waitForTimeout(400);
      const s = await state();
      if (s.screen === "Debrief") break;
      if (s.screen === "Summary") {
        await tap("next");
        await until((n) => n.screen !== "Summary", "the next turn");
      } else if (s.targets?.option) {
        if (!decided) await shot("12-decision");
        await tap("option");
        await until((n) => n.actions > s.actions, "a decision taken by a tap");
        decided = true;
      } else {
        await tap("end_turn");
        await until((n) => n.screen === "Summary", "the turn ended");
      }
    }
    assert.ok(decided, "a decision came up on the way");
    await until((s) => s.screen === "Debrief" && s.score !== null, "the debrief");
    await page.waitForTimeout(500);
    await shot("13-debrief");
    await place("play_again");
    await context.close();

    // A tablet in portrait: two columns, the same taps.
    const tablet = await browser.newContext({
      viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-US",
    });
    const tpage = await tablet.newPage();
    tpage.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
    const t = { ...driver(tpage), ...touch(tpage) };
    await tpage.goto(base);
    await t.ready();
    await t.until((s) => s.screen === "Title" && s.targets?.play, "the tablet's title");
    await tpage.waitForTimeout(300);
    await tpage.screenshot({ path: path.join(shots, "tablet-1-title.png") });
    await t.tap("play");
    await t.until((s) => s.screen === "Briefing", "the tablet's briefing");
    await tpage.waitForTimeout(300);
    await tpage.screenshot({ path: path.join(shots, "tablet-2-briefing.png") });
    await t.tap("start");
    await t.until((s) => s.screen === "Playing", "the tablet's turn");
    const tb = await t.state();
    await t.tap("card");
    await t.until((s) => s.actions === tb.actions + 1, "a card taken on the tablet");
    await tpage.waitForTimeout(300);
    await tpage.screenshot({ path: path.join(shots, "tablet-3-turn.png") });
    await t.tap("end_turn");
    await t.until((s) => s.screen === "Summary", "the tablet's summary");
    await tpage.waitForTimeout(300);
    await tpage.screenshot({ path: path.join(shots, "tablet-4-summary.png") });
    await tablet.close();
  } finally {
    await browser.close();
    server.close();
  }
});

test("screen readers: the accessible mirror names the controls by role and activates them", { timeout: 900_000 }, async () => {
  assert.ok(fs.existsSync(path.join(dist, "ttx_bg.wasm")), "run web/build.sh first");
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, locale: "en-US" });
    page.on("console", (m) => { if (m.type() === "error") console.log("page:", m.text()); });
    const { ready, until } = driver(page);
    await page.goto(base);
    await ready();
    await until((s) => s.screen === "Title", "the title screen");

    // The title's Play buttons, found as a screen reader finds them: by role and name.
    const play = page.getByRole("button", { name: /^Play/ });
    await play.first().waitFor({ state: "attached", timeout: 60_000 });
    assert.ok((await play.count()) >= 3, "a Play button per scenario");
    const tree = await page.locator("#ttx-a11y").ariaSnapshot();
    assert.match(tree, /button "Play/);
    assert.match(tree, /textbox "Join a workshop/, "the join field is named by its caption");
    // Each over the place egui drew it: the first scenario's Play at the right of its row.
    const box = await play.first().boundingBox();
    assert.ok(box && box.width > 20 && box.height > 10 && box.x > 800 && box.y < 300, JSON.stringify(box));

    // The keyboard on the mirror starts the game, as a screen reader's user would.
    await play.first().focus();
    await page.keyboard.press("Enter");
    await until((s) => s.screen === "Briefing" && s.scenario === "7pay-launch-week", "the 7pay briefing, from the mirror's Play");
    await page.getByRole("button", { name: /^Start the first turn/ }).press("Enter");
    await until((s) => s.screen === "Playing" && s.turn === 0, "the first turn");

    // The turn: the cards by their names, End turn, and the event feed as a live region.
    const take = page.getByRole("button", { name: /^Take: / });
    await take.first().waitFor({ state: "attached" });
    assert.ok((await take.count()) >= 3, `cards: ${await take.count()}`);
    const end = page.getByRole("button", { name: /^End turn/ });
    assert.equal(await end.count(), 1);
    const feed = page.getByRole("region", { name: "Event feed" });
    assert.equal(await feed.getAttribute("aria-live"), null, "the announcer speaks for it");
    assert.ok((await feed.locator("p").count()) >= 2, "the feed's texts are in the region");
    const name = await take.first().textContent();
    await take.first().press("Enter");
    await until((s) => s.actions === 1, `a card taken from the mirror (${name})`);
    await end.press("Space");
    await until((s) => s.screen === "Summary", "the turn summary, from the mirror's End turn");
    await page.getByRole("region", { name: /^What happened on/ }).waitFor({ state: "attached" });
    const said = await page.locator("#ttx-announce").textContent();
    assert.ok(said.length > 20, `the summary is announced: ${said}`);
  } finally {
    await browser.close();
    server.close();
  }
});
