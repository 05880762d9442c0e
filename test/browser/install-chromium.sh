#!/usr/bin/env bash
# Installs Debian's Chromium for the editor tests; Playwright's own browser downloads are never used.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
	exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
	apt-get update && apt-get install -y chromium
else
	sudo apt-get update && sudo apt-get install -y chromium
fi
