#!/usr/bin/env bash
# Configures ./build-fuzz: the one clang build that CI uses three ways (.ci/run): the unit tests
# under AddressSanitizer + UndefinedBehaviorSanitizer, the -Wthread-safety -Werror check of every
# library with a lock, and the libFuzzer targets (scripts/fuzz.sh). Shared so that the flags are
# the same wherever it is configured (different flags would rebuild everything).
# -gline-tables-only: sanitizer stacks keep file:line at a fraction of full debug info's compile time.
# SY_TEST_OPTIMIZE=-O0: clang compiles test code at -O0 in 60 % of the -O2 time (router_test.cc
# under ASan: 11.8 s against 19.7 s; -O1 saves nothing with clang); the libraries stay at -O2.
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" -DSY_FUZZ=ON -DSY_THREAD_SAFETY=ON -DSY_TEST_OPTIMIZE=-O0 \
  -DSY_BUILD_BENCH=OFF >/dev/null
