import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { ServiceStartError } from '@event-backbone/errors'

export interface ServiceProcess {
  readonly name: string
  readonly url: string
  readonly logFile: string
  readonly pid: number
  /** SIGTERM, then SIGKILL after the grace period. Resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>
}

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
  let lastLine = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    lastLine = chunk.toString().trim().split('\n').at(-1) ?? lastLine
  })
  child.stdout?.on('data', (chunk: Buffer) => {
    lastLine = chunk.toString().trim().split('\n').at(-1) ?? lastLine
  })
  let exit: number | null | undefined
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exit = code
      resolve(code)
    }),
  )
  const stop = async (graceMs = 20_000) => {
    if (exit !== undefined) return exit
    child.kill('SIGTERM')
    const code = await Promise.race([exited, delay(graceMs, 'timeout' as const)])
    if (code !== 'timeout') return code
    child.kill('SIGKILL')
    return exited
  }

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000)
  for (;;) {
    if (exit !== undefined) {
      throw new ServiceStartError(
        `${options.name} exited (${exit}) while starting: ${lastLine || `see ${logFile}`}`,
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
      )
    }
    await delay(200)
  }
  return { name: options.name, url: options.url, logFile, pid: child.pid!, stop }
}
