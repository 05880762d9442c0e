#!/usr/bin/env bash
# Installs the development dependencies when a fresh clone lacks them or the lock file changed.
# Scripts stay off: the eslint plugin's pnpm-only preinstall would fail, and nothing we need
# at development time builds anything.
set -euo pipefail
cd "$(dirname "$0")/.."
# `npm install --no-save` rather than `npm ci`: the lock cannot list other platforms' optional
# bindings (e.g. @unrs/resolver-binding-*) when the registry in reach does not serve them, and
# `npm ci` refuses such a lock. With --no-save npm still installs the locked versions and leaves
# the lock file as committed.
if [ ! -x node_modules/.bin/jest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm install --ignore-scripts --no-save --no-audit --no-fund
fi
# libxmljs2 (the libxml2 oracle of the price-list tests) is native and `npm ci --ignore-scripts`
# leaves it unbuilt; prebuilt downloads fail offline, so compile it from source when missing.
if [ ! -f node_modules/libxmljs2/build/Release/xmljs.node ]; then
	npm rebuild libxmljs2
fi
