#!/usr/bin/env bash
# What CI does, runnable by anyone: formatting, lints, the engine's tests, the benches
# compile, the engine stays Bevy-free, and the desktop game builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ttx-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n== %s ==\n' "$*"; }

# Clippy runs as the compiler of this crate while it builds for the tests (cargo's
# RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` itself does), so every dependency, Bevy above
# all, is compiled once per profile instead of once for `cargo clippy`'s check and again
# for the tests. Dependencies are not linted and keep their artifacts.
clippy_driver="$(rustc --print sysroot)/bin/clippy-driver"
linted() {
    RUSTC_WORKSPACE_WRAPPER="$clippy_driver" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}
timed() {
    local began=$SECONDS
    "$@"
    echo "(step took $((SECONDS - began)) s)"
}

step "rustfmt"
cargo fmt --check

step "the engine builds without Bevy"
if cargo tree --no-default-features -e normal -i bevy >/dev/null 2>&1; then
    echo "error: bevy is in the engine-only build (--no-default-features)" >&2
    exit 1
fi
echo "ok: no bevy in cargo tree --no-default-features"

step "the engine, CLI and their tests, linted by clippy as they build; then the tests run"
timed linted cargo test --no-default-features --locked

step "benchmarks compile (linted, in the test profile: no second build of the dependencies)"
timed linted cargo test --no-default-features --locked --benches --no-run

step "the desktop game, linted as it builds: headless app tests, egui panel tests"
timed linted cargo test --locked --lib --test app --test ui_panels

step "screenshots of every screen under Xvfb (software Vulkan)"
if ! command -v xvfb-run >/dev/null 2>&1 || ! ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth mesa-vulkan-drivers >/dev/null
    else
        echo "error: install xvfb and mesa-vulkan-drivers to take the screenshots" >&2
        exit 1
    fi
fi
timed linted cargo test --locked --test screenshots -- --ignored --nocapture

step "the browser game: build web/dist, then play it in headless Chromium"
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "error: install chromium for the browser test" >&2
        exit 1
    fi
fi
(cd web && npm ci --no-audit --no-fund)
# The shipping build (`web` profile, fat LTO, wasm-opt -Oz) takes about 25 minutes here;
# the end-to-end test plays the same game built for speed of building.
timed env TTX_WEB_PROFILE=web-ci TTX_WASM_OPT=strip bash web/build.sh
timed bash -c 'cd web && npm test'
