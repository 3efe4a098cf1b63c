#!/usr/bin/env bash
# Measures the size floor of the browser build: a crate with exactly ttx's dependencies,
# features and `web` profile whose whole program is one egui window (web/floor/main.rs).
# What ttx adds on top is the game. Not part of CI (a link and a wasm-opt: about 11 min).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ttx-target}"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
mkdir -p "$probe/src"
cp web/floor/main.rs "$probe/src/main.rs"
cp Cargo.lock "$probe/"
# The same dependency sections and profiles, as plain (non-optional) dependencies.
{
    printf '[package]\nname = "floor"\nversion = "0.1.0"\nedition = "2024"\n\n'
    sed -n '/^\[dependencies\]/,/^\[dev-dependencies\]/p' Cargo.toml | sed '$d' | sed 's/optional = true, //'
    sed -n '/^\[profile\./,/^\[lints/p' Cargo.toml | sed '$d'
    # The same patched crates, by absolute path, and the same wasm compiler flags.
    sed -n '/^\[patch\.crates-io\]/,/^$/p' Cargo.toml | sed "s|path = \"|path = \"$PWD/|"
} > "$probe/Cargo.toml"
mkdir -p "$probe/.cargo"
cp .cargo/config.toml "$probe/.cargo/"
(cd "$probe" && cargo build --profile web --target wasm32-unknown-unknown)
wasm-bindgen --target web --no-typescript --out-dir "$probe/out" --out-name floor \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/web/floor.wasm"
web/node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
    --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$probe/out/floor_bg.wasm" -o "$probe/out/floor.opt.wasm"
printf 'floor: wasm %s bytes after wasm-opt, %s gzip\n' "$(stat -c %s "$probe/out/floor.opt.wasm")" \
    "$(gzip -9 -c "$probe/out/floor.opt.wasm" | wc -c)"
