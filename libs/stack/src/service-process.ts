import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { ServiceStartError } from '@event-backbone/errors'

/** How a service process ended: its exit code, or the signal that killed it. */
export interface ServiceExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** True when stop() asked for it; false for an unexpected exit. */
  readonly requested: boolean
}

export interface ServiceProcess {
  readonly name: string
  readonly url: string
  readonly logFile: string
  readonly pid: number
  /** Resolves when the process has ended, however it ended. */
  readonly exited: Promise<ServiceExit>
  /** The last lines the process wrote (stdout and stderr), oldest first. */
  lastLines(): string[]
  /** SIGTERM, then SIGKILL after the grace period. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>
}

const KEPT_LINES = 20

/**
 * Starts `node <entry>` with `env`, its output in `<logDir>/<name>.log`, and resolves once
 * `<url>/readyz` answers 200. Fails fast with the log's last line when the process exits first.
 */
export async function startServiceProcess(options: {
  readonly name: string
  readonly entry: string
  readonly url: string
  readonly env: NodeJS.ProcessEnv
  readonly logDir: string
  readonly cwd: string
  readonly readyTimeoutMs?: number
}): Promise<ServiceProcess> {
  const logFile = join(options.logDir, `${options.name}.log`)
  const log = createWriteStream(logFile, { flags: 'a' })
  const child: ChildProcess = spawn(process.execPath, [options.entry], {
    cwd: options.cwd,
    env: { ...options.env, BACKBONE_LIFELINE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue
      lines.push(line.length > 500 ? `${line.slice(0, 500)}…` : line)
    }
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES))
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let requested = false
  let exit: ServiceExit | undefined
  const exited = new Promise<ServiceExit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal, requested }
      resolve(exit)
    }),
  )
  const stop = async (graceMs = 20_000) => {
    requested = true
    if (exit !== undefined) return exit.code
    child.kill('SIGTERM')
    const ended = await Promise.race([exited, delay(graceMs, 'timeout' as const)])
    if (ended !== 'timeout') return ended.code
    child.kill('SIGKILL')
    return (await exited).code
  }

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
  for (;;) {
    if (exit !== undefined) {
      throw new ServiceStartError(
        `${options.name} exited (${exit.signal ?? exit.code}) while starting: ${lines.at(-1) ?? `see ${logFile}`}`,
        { context: { service: options.name } },
      )
    }
    const ready = await fetch(`${options.url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status === 200,
      () => false,
    )
    if (ready) break
    if (Date.now() > deadline) {
      await stop(5_000)
      throw new ServiceStartError(
        `${options.name} was not ready at ${options.url}/readyz in time; see ${logFile}`,
        { context: { service: options.name } },
      )
    }
    await delay(200)
  }
  return {
    name: options.name,
    url: options.url,
    logFile,
    pid: child.pid!,
    exited,
    lastLines: () => [...lines],
    stop,
  }
}
