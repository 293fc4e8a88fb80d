#!/usr/bin/env bash
# What the REST API's browser test needs on a CI machine (run as root, from .ci/run):
# Debian's chromium for Playwright (the playwright package cannot download its own browser
# here; tests/api/test_browser.py drives /usr/bin/chromium and fails under CI=true without it).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
/usr/bin/chromium --version
