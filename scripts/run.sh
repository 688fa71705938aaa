#!/usr/bin/env bash
# Installs, builds and runs the server on 127.0.0.1:8000 with the embedded SQLite store in ./data.
# The first start prints the admin key and the default project's key. Extra arguments go to
# `switchyard serve` (e.g. --listen 0.0.0.0:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec ./build/switchyard serve --data-dir ./data "$@"
