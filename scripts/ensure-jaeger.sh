#!/usr/bin/env bash
# Builds Jaeger (the v2 line: an OpenTelemetry Collector with Jaeger's storage and query API) from
# its Go module, pinned with its whole module graph in tools/jaeger/go.mod and go.sum, once into
# the project's cache dir (the one libs/kafka-local cacheDir uses), and prints the binary's path.
# Module downloads and the Go build cache stay there too, so a rebuild after a version bump is
# incremental. A cold build takes minutes (docs/tracing.md has the figures); test/run.ts starts this
# in the background when the tracing smoke is selected. Needs `go` (found on PATH or in /usr/local/go).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
module="$root/tools/jaeger"
version="$(awk '$1 == "github.com/jaegertracing/jaeger" { print $2; exit }' "$module/go.mod")"
if [ -z "$version" ]; then
  echo "ensure-jaeger: tools/jaeger/go.mod does not require github.com/jaegertracing/jaeger" >&2
  exit 1
fi
cache="${BACKBONE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/event-backbone}"
bin="$cache/jaeger/$version/jaeger"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
# The official Go tarball installs to /usr/local/go, which a non-login shell may not have on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; fi
if ! command -v go >/dev/null 2>&1; then
  echo "ensure-jaeger: go is not on PATH; it builds Jaeger $version from tools/jaeger" >&2
  exit 1
fi
mkdir -p "$cache/jaeger/$version"
# One build at a time: a second caller waits for the first and then finds the binary.
exec 9>"$cache/jaeger/$version/.lock"
flock 9
if [ ! -x "$bin" ]; then
  export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOFLAGS="-modcacherw" GOTOOLCHAIN=local
  cd "$module"
  # Niced: test/run.ts runs this beside the concurrent tests, which must keep their CPU share.
  timeout 2400 nice -n 10 go build -trimpath -o "$bin.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
