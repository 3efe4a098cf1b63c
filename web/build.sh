#!/usr/bin/env bash
# Builds the browser game into web/dist: a self-contained folder any static file server
# can host. Installs what it needs if missing: the wasm32 target, wasm-bindgen-cli at the
# version in Cargo.lock, and wasm-opt (npm's binaryen; Debian's is too old for this wasm).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ttx-target}"
out=web/dist
# The shipping build: the size-tuned `web` profile and `wasm-opt -Oz`. CI sets
# TTX_WEB_PROFILE=web-ci and TTX_WASM_OPT=strip: the same game built faster (no LTO,
# wasm-opt only strips names), for the end-to-end test.
profile="${TTX_WEB_PROFILE:-web}"
opt_mode="${TTX_WASM_OPT:-full}"

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -qF " $want"; then
    # Without --locked: one locked dependency of the CLI is no longer on the registry.
    # A build tool, not the game: built for speed of building (opt-level 1), in a target
    # directory of its own so its release-profile artifacts never mix with the game's.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        CARGO_TARGET_DIR="$CARGO_TARGET_DIR/tools" \
        cargo install wasm-bindgen-cli --version "$want" --bin wasm-bindgen
fi
if [ ! -x web/node_modules/.bin/wasm-opt ]; then
    (cd web && npm ci --no-audit --no-fund)
fi

cargo build --profile "$profile" --target wasm32-unknown-unknown --locked
rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name ttx \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/ttx.wasm"
raw=$(stat -c %s "$out/ttx_bg.wasm")
# wasm-opt takes minutes: keep its result keyed by the input's hash, so an unchanged build
# (CI on the same machine) skips it.
cache="${TTX_WASM_OPT_CACHE:-$HOME/.cache/ttx-wasm-opt}"
key=$(sha256sum "$out/ttx_bg.wasm" | cut -c1-64)
if [ "$opt_mode" = strip ]; then
    web/node_modules/.bin/wasm-opt --strip-debug --strip-producers \
        --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$out/ttx_bg.wasm" -o "$out/ttx_bg.opt.wasm"
    mv "$out/ttx_bg.opt.wasm" "$out/ttx_bg.wasm"
    echo "wasm-opt: names stripped only (TTX_WASM_OPT=strip)"
elif [ -f "$cache/$key.wasm" ]; then
    cp "$cache/$key.wasm" "$out/ttx_bg.wasm"
    echo "wasm-opt: unchanged input, reused $cache/$key.wasm"
else
    web/node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
        --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        "$out/ttx_bg.wasm" -o "$out/ttx_bg.opt.wasm"
    mv "$out/ttx_bg.opt.wasm" "$out/ttx_bg.wasm"
    mkdir -p "$cache"
    find "$cache" -name '*.wasm' -mtime +14 -delete 2>/dev/null || true
    cp "$out/ttx_bg.wasm" "$cache/$key.wasm"
fi
# The build's version in the page and its service worker (offline after the first visit):
# new files, new addresses, a new cache.
build=$(cat "$out/ttx_bg.wasm" "$out/ttx.js" web/index.html web/sw.js | sha256sum | cut -c1-16)
for f in index.html sw.js; do
    sed "s/__TTX_BUILD__/$build/g" "web/$f" > "$out/$f"
done
cp scenarios/*.ron "$out/"
# The Japanese fallback font: downloaded by the app only when a scenario needs it.
mkdir -p "$out/fonts"
cp assets/fonts/cjk-subset.otf assets/fonts/LICENSE-NotoSansCJK.txt "$out/fonts/"
opt=$(stat -c %s "$out/ttx_bg.wasm")
gz=$(gzip -9 -c "$out/ttx_bg.wasm" | wc -c)
printf 'web/dist: wasm %s bytes raw (wasm-bindgen), %s after wasm-opt, %s gzip\n' "$raw" "$opt" "$gz" | tee "$out/SIZES.txt"
# Precompressed copies for `ttx serve` (brotli at its best for shipping; faster for CI).
if [ "$profile" = web ]; then quality=11; else quality=5; fi
node web/compress.mjs "$out" "$quality" | tee -a "$out/SIZES.txt"
