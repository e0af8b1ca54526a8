/**
 * A bash wrapper around the JVM that makes "never leave a JVM running" hold even when the Node
 * process that started the broker is killed with SIGKILL: Node keeps the write end of the wrapper's
 * stdin; when Node dies the pipe closes, the watchdog reads EOF and stops the broker with SIGTERM,
 * which Kafka handles as a clean shutdown, and SIGKILL 30 s later if it has not finished (a node
 * of a cluster whose quorum is shutting down with it may wait for a controller that is gone). SIGTERM/SIGINT sent to the wrapper are forwarded too.
 * When the parent is gone, the wrapper also removes the temporary data directory it was given.
 *
 * Arguments: $1 = "lifeline" or "detached", $2 = directory to remove if orphaned (or ""), then the
 * java command line.
 */
export const brokerWrapperScript = `
mode="$1"; orphan_cleanup="$2"; shift 2
exec 3<&0 0</dev/null
"$@" 3<&- &
broker=$!
trap 'kill -TERM "$broker" 2>/dev/null' TERM INT HUP
watchdog=
if [ "$mode" = lifeline ]; then
  ( while read -r -u 3 _; do :; done; kill -TERM "$broker" 2>/dev/null
    for _ in $(seq 300); do kill -0 "$broker" 2>/dev/null || exit 0; sleep 0.1; done
    kill -KILL "$broker" 2>/dev/null ) &
  watchdog=$!
fi
exec 3<&-
wait "$broker"; status=$?
while kill -0 "$broker" 2>/dev/null; do wait "$broker"; status=$?; done
[ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null
if [ -n "$orphan_cleanup" ] && ! kill -0 "$PPID" 2>/dev/null; then rm -rf "$orphan_cleanup"; fi
exit "$status"
`
