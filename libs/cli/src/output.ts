import { BackboneError, UsageError } from '#libs/errors'

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
  process.stderr.write(
    `backbone: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
  )
  process.exit(1)
}

/** Resolves on the first SIGINT or SIGTERM: foreground commands run until the operator stops them. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      resolve(signal)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
