#!/usr/bin/env bash
# `npm run demo`: dependencies, build, then n8n with the pack, its workflows and the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/install-dev-deps.sh
npm run --silent build
exec node sandbox/demo.mjs "$@"
