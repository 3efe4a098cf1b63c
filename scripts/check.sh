#!/usr/bin/env bash
# What CI does, runnable by anyone: formatting, lints, the engine's tests, the benches
# compile, the engine stays Bevy-free, and the desktop game builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ttx-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n== %s ==\n' "$*"; }

step "rustfmt"
cargo fmt --check

step "the engine builds without Bevy"
if cargo tree --no-default-features -e normal -i bevy >/dev/null 2>&1; then
    echo "error: bevy is in the engine-only build (--no-default-features)" >&2
    exit 1
fi
echo "ok: no bevy in cargo tree --no-default-features"

step "clippy (engine, CLI, tests, benches)"
cargo clippy --no-default-features --all-targets --locked -- -D warnings

step "tests (engine, CLI, scenarios, broken-scenario corpus)"
cargo test --no-default-features --locked

step "benchmarks compile"
cargo bench --no-default-features --locked --no-run

step "the desktop game: clippy, headless app tests, egui panel tests"
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked --lib --test app --test ui_panels

step "screenshots of every screen under Xvfb (software Vulkan)"
if ! command -v xvfb-run >/dev/null 2>&1 || ! ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth mesa-vulkan-drivers >/dev/null
    else
        echo "error: install xvfb and mesa-vulkan-drivers to take the screenshots" >&2
        exit 1
    fi
fi
cargo test --locked --test screenshots -- --ignored --nocapture

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
bash web/build.sh
(cd web && npm test)
