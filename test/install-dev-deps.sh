#!/usr/bin/env bash
# Installs the development dependencies when a fresh clone lacks them or the lock file changed.
# Scripts stay off: the eslint plugin's pnpm-only preinstall would fail, and nothing we need
# at development time builds anything.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/jest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --ignore-scripts --no-audit --no-fund
fi
