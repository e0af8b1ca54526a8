import { BackboneError, UsageError } from '@event-backbone/errors'

/** Writes a machine-readable result as one JSON line, or a human line. */
export function emit(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human}\n`)
}

/**
 * Turns an error into the CLI's exit: one readable line for errors the backbone raises on purpose
 * (exit 2 for usage errors, 1 otherwise), the whole stack for anything unexpected.
 */
export function fail(error: unknown): never {
  if (error instanceof BackboneError) {
    process.stderr.write(`backbone: ${error.message} [${error.code}]\n`)
    process.exit(error instanceof UsageError ? 2 : 1)
  }
  // node:util parseArgs rejects an unknown or malformed option: the operator's mistake, said
  // plainly, not a stack trace.
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    process.stderr.write(
      `backbone: ${(error as Error).message}; see 'backbone <command> --help' [EB_USAGE]\n`,
    )
    process.exit(2)
  }
  process.stderr.write(
    `backbone: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
  )
  process.exit(1)
}

/**
 * Resolves on the first SIGINT or SIGTERM: foreground commands run until the operator stops them.
 * Later signals do not cut the graceful stop short: one Ctrl-C in a terminal reaches every process
 * of the group (npm, scripts/node24.js, which forwards it, and this one), so this process sees two at
 * once. A third signal forces the exit.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = 0
    const onSignal = (signal: NodeJS.Signals) => {
      received += 1
      if (received === 1) resolve(signal)
      else if (received >= 3) {
        process.stderr.write('backbone: forced exit\n')
        process.exit(130)
      }
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
