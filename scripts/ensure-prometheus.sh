#!/usr/bin/env bash
# Installs Debian's prometheus (prometheus and promtool) for the alert-rule and Prometheus tests
# when promtool is missing. Idempotent and quiet: does nothing when it is there; needs root (or sudo)
# and apt-get otherwise. Bounded: apt-get update gets 5 minutes, the install 10.
set -euo pipefail
if [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-prometheus: /usr/bin/prometheus is missing and apt-get is not available; install Prometheus by hand" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo timeout 300 apt-get update -qq >/dev/null
$sudo timeout 600 apt-get install -y -qq --no-install-recommends prometheus >/dev/null
# The package starts a prometheus service where an init system runs one; the tests start their own.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
test -x /usr/bin/prometheus && test -x /usr/bin/promtool
