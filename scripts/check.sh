#!/usr/bin/env bash
# What CI does, runnable by anyone: formatting, lints, the engine builds without Bevy, every
# test of the engine, CLI, workshop server and desktop game, the benches compile,
# screenshots under Xvfb, and the browser game played in headless Chromium.
#
# One native build serves every native step: the tests, the benches and the screenshot
# tour are compiled together, once, in the dev profile with the default features. The
# engine-only build (`--no-default-features`) is checked and linted, not built again. The
# browser build and the installs (apt, the wasm target, npm, wasm-bindgen) start at once in
# the background at the lowest priority, so they take the cores only while the native
# build leaves one idle, and the browser steps find them done or nearly.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ttx-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
mkdir -p "$CARGO_TARGET_DIR"
logs="$(mktemp -d "${TMPDIR:-/tmp}/ttx-check.XXXXXX")"
began=$SECONDS

step() { printf '\n== %s ==\n' "$*"; }
timed() {
    local t=$SECONDS
    "$@"
    echo "(step took $((SECONDS - t)) s)"
}

# Clippy runs as the compiler of this crate while it builds (cargo's
# RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` itself does), so every dependency, Bevy above
# all, is compiled once instead of once for `cargo clippy`'s check and again for the tests.
# Dependencies are not linted and keep their artifacts. Every native cargo command below
# goes through it: a command without it would see a different compiler and rebuild ttx.
clippy_driver="$(rustc --print sysroot)/bin/clippy-driver"
linted() {
    RUSTC_WORKSPACE_WRAPPER="$clippy_driver" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}

# --- Background jobs, each in its own process group (so a failure here stops them all) ---
jobs_started=()
stop_jobs() {
    for pgid in "${jobs_started[@]}"; do kill -- "-$pgid" 2>/dev/null || true; done
}
trap stop_jobs EXIT
# `background NAME COMMAND...`: runs COMMAND at the lowest CPU priority, output to a log.
background() {
    local name=$1
    shift
    setsid nice -n 19 "$@" >"$logs/$name.log" 2>&1 &
    jobs_started+=("$!")
    eval "job_$name=$!"
}
# `finish NAME`: waits for a background job, prints its log, fails if it failed.
finish() {
    local name=$1 pid
    pid=$(eval "echo \$job_$name")
    local t=$SECONDS status=0
    wait "$pid" || status=$?
    sed 's/^/  | /' "$logs/$name.log"
    echo "(waited $((SECONDS - t)) s for $name)"
    if [ "$status" != 0 ]; then
        echo "error: $name failed (exit $status)" >&2
        exit 1
    fi
}

# The system packages the screenshots and the browser test need: one apt transaction.
apt_install() {
    set -euo pipefail
    local want=()
    command -v xvfb-run >/dev/null 2>&1 || want+=(xvfb xauth)
    ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1 || want+=(mesa-vulkan-drivers)
    command -v chromium >/dev/null 2>&1 || want+=(chromium)
    if [ ${#want[@]} = 0 ]; then
        echo "apt: nothing to install"
        return
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "error: install ${want[*]} (the screenshots and the browser test need them)" >&2
        return 1
    fi
    local t=$SECONDS
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${want[@]}" >/dev/null
    echo "apt: installed ${want[*]} in $((SECONDS - t)) s"
}
# The browser build: the wasm target, npm packages, wasm-bindgen, then web/dist.
web_build() {
    set -euo pipefail
    local t=$SECONDS
    rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    (cd web && npm ci --no-audit --no-fund)
    echo "web: target and npm packages in $((SECONDS - t)) s"
    t=$SECONDS
    # The shipping build (`web` profile, fat LTO, wasm-opt -Oz) takes about 25 minutes here;
    # the end-to-end test plays the same game built for speed of building.
    TTX_WEB_PROFILE=web-ci TTX_WASM_OPT=strip bash web/build.sh
    echo "web: web/build.sh in $((SECONDS - t)) s"
}
export -f apt_install web_build
background apt bash -c apt_install
background web bash -c web_build

# --- The native steps, in the foreground ---
step "rustfmt"
cargo fmt --check

step "the engine builds without Bevy"
if cargo tree --no-default-features -e normal -i bevy >/dev/null 2>&1; then
    echo "error: bevy is in the engine-only build (--no-default-features)" >&2
    exit 1
fi
echo "ok: no bevy in cargo tree --no-default-features"
timed linted cargo check --no-default-features --locked --lib --bins

step "one native build, linted as it builds: library, binary, every test and the benches"
timed linted cargo test --locked --lib --bins --tests --benches --no-run

step "the tests: engine, CLI, workshop server, headless app, egui panels"
timed linted cargo test --locked --lib --bins --tests

step "screenshots of every screen under Xvfb (software Vulkan)"
finish apt
timed linted cargo test --locked --test screenshots -- --ignored --nocapture

step "the browser game: web/dist (built in the background), then played in headless Chromium"
finish web
timed bash -c 'cd web && npm test'

echo
echo "total: $((SECONDS - began)) s"
