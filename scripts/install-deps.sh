#!/usr/bin/env bash
# Installs the Debian 12 packages Switchyard builds and tests with. Idempotent: when everything
# is already installed it changes nothing and needs no network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libboost-dev libssl-dev libsqlite3-dev libre2-dev nlohmann-json3-dev libsimdjson-dev
  libspdlog-dev libfmt-dev zlib1g-dev libcli11-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format
  prometheus  # promtool: the /metrics integration test checks the exposition with it
  chromium  # the client SDK tests (tests/clients): posthog-js in headless Chromium
)
# Node for the client SDK tests: Debian's nodejs and npm unless the machine already has a node
# and npm (a NodeSource nodejs ships npm inside it and conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(wrk valgrind strace) ;;
    # CI's extra stages: clang for -Wthread-safety and libFuzzer (its runtime is in
    # libclang-rt-14-dev), llvm for llvm-symbolizer (readable sanitizer stacks).
    --ci) packages+=(clang clang-14 libclang-rt-14-dev llvm-14) ;;
    *) echo "usage: $0 [--bench] [--ci]" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The client SDKs at the versions tests/clients/package-lock.json pins; installed again only when
# node_modules is missing or older than the lock. --ignore-scripts: no package may download
# anything at install time (playwright-core drives Debian's chromium, it fetches no browser).
clients="$(cd "$(dirname "$0")/.." && pwd)/tests/clients"
marker="$clients/node_modules/.package-lock.json"
if [ ! -f "$marker" ] || [ "$clients/package-lock.json" -nt "$marker" ]; then
  echo "installing the client SDKs (npm ci in tests/clients)"
  (cd "$clients" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
