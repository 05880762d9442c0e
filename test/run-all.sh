#!/usr/bin/env bash
# The one test command (README, `npm test`, `.ci/run`): installs what a fresh clone lacks, builds,
# runs n8n's own checks, the unit tests, the sandbox tests and the end-to-end tests in a real n8n.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
step() {
	local name=$1
	shift
	echo "=== ${name}"
	local started=$SECONDS
	if "$@"; then
		passed=$((passed + 1))
		echo "=== ${name}: ok ($((SECONDS - started)) s)"
	else
		failed=$((failed + 1))
		echo "=== ${name}: FAILED ($((SECONDS - started)) s)"
	fi
}

step "install dev dependencies" bash test/install-dev-deps.sh
if [ "$failed" -ne 0 ]; then
	echo "steps: ${passed} passed, ${failed} failed"
	exit 1
fi
step "build" npm run --silent build
step "type check (nodes, sandbox, tests)" npx tsc -p tsconfig.tools.json
step "n8n community-node lint" npx n8n-node lint
step "n8n community-package scanner (offline)" node test/scan.mjs
step "package tests (tarball, manifest, codex, credential links)" node --test test/package/
step "unit tests (jest + nock)" npx jest --config test/jest.config.js --ci
step "sandbox tests" node --test test/sandbox/
# What the end-to-end suites' n8n (both lines) logged and stored, kept for the secrets scan after them.
KZ_E2E_ARTIFACTS="$(mktemp -d)"
export KZ_E2E_ARTIFACTS
step "end-to-end tests (real n8n, single process and queue mode)" node --test --test-concurrency=1 test/e2e/
# The same single-process suites on n8n 2.x with Node 24 (queue mode and the fault matrix run on 1.x).
step "end-to-end on n8n 2.x (every single-process suite)" env KZ_N8N_LINE=2 node --test --test-concurrency=1 \
	test/e2e/order-whatsapp.test.mjs test/e2e/amocrm.test.mjs test/e2e/webkassa.test.mjs \
	test/e2e/webkassa-zreport.test.mjs test/e2e/kaspi-receipts.test.mjs test/e2e/waha-trigger.test.mjs test/e2e/pricelist.test.mjs test/e2e/ai-agent.test.mjs
step "install Chromium (Debian's package)" bash test/browser/install-chromium.sh
step "browser tests of the n8n editor (Playwright, Chromium)" node --test --test-concurrency=1 test/browser/
step "secrets scan of the end-to-end logs and execution data" node --test test/secrets/
rm -rf "$KZ_E2E_ARTIFACTS"

echo "steps: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
