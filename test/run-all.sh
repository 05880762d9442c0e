#!/usr/bin/env bash
# The one test command (README, `npm test`, `.ci/run`): installs what a fresh clone lacks, builds,
# runs n8n's own checks, the unit tests, the sandbox tests and the end-to-end tests in a real n8n.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
timings=()
step() {
	local name=$1
	shift
	echo "=== ${name}"
	local started=$SECONDS result
	if "$@"; then
		passed=$((passed + 1))
		result=ok
	else
		failed=$((failed + 1))
		result=FAILED
	fi
	echo "=== ${name}: ${result} ($((SECONDS - started)) s)"
	timings+=("$(printf '%6d s  %-6s  %s' "$((SECONDS - started))" "$result" "$name")")
}
# The per-step figures, at the end of every run (README, "Tests": the expected times).
summary() {
	echo "=== time per step"
	printf '%s\n' "${timings[@]}"
	printf '%6d s          total\n' "$SECONDS"
	echo "steps: ${passed} passed, ${failed} failed"
}

# Both pinned n8n lines install (or are found in their cache folders) in the background from the
# start, beside the development dependencies, the build and the unit tests; the steps that need
# them wait for them. The installer needs only Node's own modules.
background_logs="$(mktemp -d)"
n8n_install_pids=()
for line in 1 2; do
	node test/e2e/lib/install-n8n.mjs "$line" >"$background_logs/$line.log" 2>&1 &
	n8n_install_pids+=("$!")
done
# Chromium too, for the browser step at the end.
bash test/browser/install-chromium.sh >"$background_logs/chromium.log" 2>&1 &
chromium_install_pid=$!
chromium_installed() {
	local status=0
	wait "$chromium_install_pid" || status=1
	cat "$background_logs/chromium.log"
	return "$status"
}
n8n_installed() {
	local status=0 index
	for index in 0 1; do
		wait "${n8n_install_pids[$index]}" || status=1
		cat "$background_logs/$((index + 1)).log"
	done
	return "$status"
}
step "install dev dependencies" bash test/install-dev-deps.sh
if [ "$failed" -ne 0 ]; then
	kill "${n8n_install_pids[@]}" "$chromium_install_pid" 2>/dev/null
	summary
	exit 1
fi
step "build" npm run --silent build
step "type check (nodes, sandbox, tests)" npx tsc -p tsconfig.tools.json
step "n8n community-node lint" npx n8n-node lint
step "formatting (Prettier)" npm run --silent format:check
step "n8n community-package scanner (offline)" node test/scan.mjs
step "package tests (tarball, manifest, codex, credential links)" node --test test/package/
step "unit tests (jest + nock)" npx jest --config test/jest.config.js --ci
step "sandbox tests" node --test test/sandbox/
# What the end-to-end suites' n8n (both lines) logged and stored, kept for the secrets scan after them.
step "pinned n8n 1.x and 2.x (installs begun in the background)" n8n_installed
KZ_E2E_ARTIFACTS="$(mktemp -d)"
export KZ_E2E_ARTIFACTS
# The single-process suites of both n8n lines run side by side: they mostly wait on polls and
# schedules, each with its own n8n and sandbox on free loopback ports. Each line's output is
# printed whole when it ends.
SINGLE_PROCESS_SUITES=(test/e2e/order-whatsapp.test.mjs test/e2e/amocrm.test.mjs test/e2e/webkassa.test.mjs
	test/e2e/webkassa-zreport.test.mjs test/e2e/kaspi-receipts.test.mjs test/e2e/waha-trigger.test.mjs
	test/e2e/pricelist.test.mjs test/e2e/ai-agent.test.mjs)
single_process_both_lines() {
	local logs status=0 line pids=()
	logs="$(mktemp -d)"
	for line in 1 2; do
		KZ_N8N_LINE=$line node --test --test-concurrency=1 "${SINGLE_PROCESS_SUITES[@]}" >"$logs/$line.log" 2>&1 &
		pids+=("$!")
	done
	for line in 1 2; do
		wait "${pids[$((line - 1))]}" || status=1
		echo "--- n8n ${line}.x"
		cat "$logs/$line.log"
	done
	rm -rf "$logs"
	return "$status"
}
step "end-to-end, every single-process suite on n8n 1.x and on 2.x (Node 24), side by side" single_process_both_lines
# Queue mode and the fault matrix start PostgreSQL, Redis and three n8n processes each: alone.
step "end-to-end, queue mode and the fault matrix (n8n 1.x)" node --test --test-concurrency=1 \
	test/e2e/queue-mode.test.mjs test/e2e/fault-matrix.test.mjs
step "Chromium, Debian's package (install begun in the background)" chromium_installed
step "browser tests of the n8n editor (Playwright, Chromium)" node --test --test-concurrency=1 test/browser/
step "secrets scan of the end-to-end logs and execution data" node --test test/secrets/
rm -rf "$KZ_E2E_ARTIFACTS" "$background_logs"

summary
[ "$failed" -eq 0 ]
