// The browser game's service worker. After the first visit the page, the game (its wasm
// and JavaScript) and the Japanese font come from this browser's cache: a flaky network
// (a conference Wi-Fi) costs no second download, and the game opens offline (a workshop
// still needs its server). web/build.sh writes the build's version below: a new build
// gets a new cache, and the old one is deleted once the new worker takes over; the page
// asks for the game's files with the version in their address, so the two builds' files
// never mix.
//
// Service workers run only in a secure context: over HTTPS, or from localhost.
const CACHE = "ttx-__TTX_BUILD__";
// Taken at install. The wasm is not fetched a second time: the page stores the copy it
// downloaded (index.html), so the first visit downloads it once.
const SHELL = ["./", "./ttx.js?v=__TTX_BUILD__"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("ttx-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// What is kept once fetched: the game's files, never a workshop's live API or WebSocket.
const kept = (url) => /\/(ttx\.js|ttx_bg\.wasm)$/.test(url.pathname) || url.pathname.includes("/fonts/");

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // The page from the network first (a new build shows at once; ?join= links stay
    // live), the kept page when the network is gone.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match("./", { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  if (!kept(url)) return;
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then(
      (hit) =>
        hit ??
        fetch(request).then((response) => {
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((c) => c.put(request, copy)));
          }
          return response;
        }),
    ),
  );
});
