#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser test when /usr/bin/chromium is missing.
# Idempotent and quiet: does nothing when it is there; needs root (or sudo) and apt-get otherwise.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get is not available; install Chromium by hand" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
test -x /usr/bin/chromium
