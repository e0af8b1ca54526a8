import { setTimeout as delay } from 'node:timers/promises'
import type { ServiceExit, ServiceProcess } from './service-process.ts'

/** How a supervised service is restarted after an unexpected exit. */
export interface RestartPolicy {
  /** false: a service that exits stays down (backbone up --no-restart). */
  readonly enabled: boolean
  /** More restarts than this within a minute and the service stays down. */
  readonly maxPerMinute: number
  /** Back-off before the first restart of a minute, doubled for each further one, capped. */
  readonly initialDelayMs: number
  readonly maxDelayMs: number
}

export const defaultRestartPolicy: RestartPolicy = {
  enabled: true,
  maxPerMinute: 5,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
}

export const ServiceState = {
  ready: 'ready',
  restarting: 'restarting',
  down: 'down',
  stopped: 'stopped',
} as const
export type ServiceState = (typeof ServiceState)[keyof typeof ServiceState]

export type SupervisorEvent =
  | {
      readonly type: 'exited'
      readonly service: string
      readonly code: number | null
      readonly signal: NodeJS.Signals | null
      readonly lastLines: readonly string[]
      /** When the restart is due, or undefined when the service stays down. */
      readonly restartInMs: number | undefined
      readonly restarts: number
    }
  | { readonly type: 'restarted'; readonly service: string; readonly pid: number; readonly restarts: number }
  | { readonly type: 'gave-up'; readonly service: string; readonly restarts: number; readonly reason: string }

/** A service of the stack that is restarted when it dies. Same shape as a ServiceProcess for readers. */
export interface SupervisedService {
  readonly name: string
  readonly url: string
  readonly logFile: string
  /** The running process's pid; undefined while it is down or restarting. */
  readonly pid: number | undefined
  readonly restarts: number
  readonly state: ServiceState
  stop(graceMs?: number): Promise<void>
}

const MINUTE_MS = 60_000

/**
 * Watches a started service process and, when it exits without being asked to, reports it at once
 * (exit code or signal, its last lines) and starts it again with back-off, as `start` starts it.
 * Past `maxPerMinute` restarts in a minute (a crash loop) the service stays down and says so.
 */
export function supervise(
  first: ServiceProcess,
  start: () => Promise<ServiceProcess>,
  options: {
    readonly policy?: Partial<RestartPolicy>
    readonly onEvent?: (event: SupervisorEvent) => void
  } = {},
): SupervisedService {
  const policy = { ...defaultRestartPolicy, ...options.policy }
  const emit = options.onEvent ?? (() => {})
  let current: ServiceProcess | undefined = first
  let state: ServiceState = ServiceState.ready
  let restarts = 0
  const restartTimes: number[] = []
  const stopping = new AbortController()

  const giveUp = (reason: string) => {
    state = ServiceState.down
    current = undefined
    emit({ type: 'gave-up', service: first.name, restarts, reason })
  }

  const watch = async (process: ServiceProcess): Promise<void> => {
    let exit: ServiceExit = await process.exited
    let lastLines = process.lastLines()
    for (;;) {
      if (exit.requested || stopping.signal.aborted) {
        state = ServiceState.stopped
        return
      }
      const now = Date.now()
      while (restartTimes.length > 0 && now - restartTimes[0]! > MINUTE_MS) restartTimes.shift()
      const allowed = policy.enabled && restartTimes.length < policy.maxPerMinute
      const restartInMs = allowed
        ? Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** restartTimes.length)
        : undefined
      current = undefined
      state = allowed ? ServiceState.restarting : ServiceState.down
      emit({
        type: 'exited',
        service: first.name,
        code: exit.code,
        signal: exit.signal,
        lastLines,
        restartInMs,
        restarts,
      })
      if (restartInMs === undefined) {
        giveUp(
          policy.enabled
            ? `${restartTimes.length} restarts within a minute: it stays down`
            : 'restarts are off (--no-restart): it stays down',
        )
        return
      }
      try {
        await delay(restartInMs, undefined, { signal: stopping.signal })
      } catch {
        state = ServiceState.stopped
        return
      }
      restartTimes.push(Date.now())
      restarts += 1
      try {
        const next = await start()
        if (stopping.signal.aborted) {
          await next.stop()
          state = ServiceState.stopped
          return
        }
        current = next
        state = ServiceState.ready
        emit({ type: 'restarted', service: first.name, pid: next.pid, restarts })
        exit = await next.exited
        lastLines = next.lastLines()
      } catch (error) {
        // It died again while starting: that counts as an exit, with what it said.
        exit = { code: null, signal: null, requested: false }
        lastLines = [(error as Error).message]
      }
    }
  }
  void watch(first)

  return {
    name: first.name,
    url: first.url,
    logFile: first.logFile,
    get pid() {
      return current?.pid
    },
    get restarts() {
      return restarts
    },
    get state() {
      return state
    },
    async stop(graceMs?: number) {
      stopping.abort()
      const running = current
      if (running) await running.stop(graceMs)
      if (state !== ServiceState.down) state = ServiceState.stopped
    },
  }
}
