import type { Logger } from '#libs/observability'
import { stopWhenParentDies } from './lifeline.ts'

export interface StopHook {
  readonly name: string
  stop(): Promise<void>
}

/**
 * Stops the service on SIGTERM or SIGINT: runs the stop hooks in order (stop taking work first,
 * then drain, then close connections) within a deadline, then exits 0, or 1 when a hook failed or
 * the deadline passed. A second signal during the stop is ignored; the deadline bounds it.
 */
export function stopOnSignals(options: {
  readonly logger: Logger
  readonly hooks: readonly StopHook[]
  readonly deadlineMs?: number
  readonly exit?: (code: number) => void
}): () => Promise<number> {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let stopping: Promise<number> | undefined
  const stop = () => {
    stopping ??= (async () => {
      const deadlineMs = options.deadlineMs ?? 30_000
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<number>((resolve) => {
        timer = setTimeout(() => {
          options.logger.error({ deadlineMs }, 'graceful stop passed its deadline')
          resolve(1)
        }, deadlineMs)
        timer.unref()
      })
      const run = (async () => {
        let code = 0
        for (const hook of options.hooks) {
          try {
            await hook.stop()
            options.logger.info({ part: hook.name }, 'stopped')
          } catch (error) {
            code = 1
            options.logger.error({ err: error, part: hook.name }, 'stopping failed')
          }
        }
        return code
      })()
      const code = await Promise.race([run, deadline])
      clearTimeout(timer)
      return code
    })()
    return stopping
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return
    options.logger.info({ signal }, 'stopping')
    void stop().then(exit)
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  // Started by `backbone up`: its death becomes a SIGTERM here, so the same graceful stop runs.
  stopWhenParentDies()
  return stop
}
