import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { setTimeout as delay } from 'node:timers/promises'
import { stopProcessGroup } from '#libs/kafka-local'

const logLimit = 16_384

export interface RuntimeProcess {
  readonly pid: number
  readonly logs: () => string
  /** The exit code or signal once the process has exited, else undefined. */
  readonly exited: () => string | undefined
  readonly stop: () => Promise<void>
}

/**
 * Starts a function runtime in its own process group (so stop() also takes anything it forks) and
 * keeps the tail of its output for error messages. A process still running when this process exits
 * is killed then, whatever the test did. `ownedDir`, if given, is removed with it.
 */
export function spawnRuntime(
  command: string,
  args: readonly string[],
  cwd: string,
  ownedDir?: string,
): RuntimeProcess {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-logLimit)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exit: string | undefined
  child.once('error', (error) => {
    exit ??= `spawn error: ${error.message}`
  })
  child.once('exit', (code, signal) => {
    exit = code === null ? `signal ${signal}` : `exit code ${code}`
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start ${command}: ${exit ?? 'no pid'}`)
  const killOnExit = () => {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // already gone
    }
    if (ownedDir) rmSync(ownedDir, { recursive: true, force: true })
  }
  process.once('exit', killOnExit)
  let stopping: Promise<void> | undefined
  return {
    pid,
    logs: () => output,
    exited: () => exit,
    stop: () => {
      stopping ??= (async () => {
        process.removeListener('exit', killOnExit)
        if (exit === undefined) await stopProcessGroup(pid, 2_000)
        if (ownedDir) await rm(ownedDir, { recursive: true, force: true })
      })()
      return stopping
    },
  }
}

/**
 * Polls `url` until it answers 200; fails fast if the process exits and after `timeoutMs` with the
 * runtime's log tail, so a broken runtime says why instead of timing out a test.
 */
export async function waitHealthy(
  name: string,
  url: string,
  runtime: RuntimeProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer yet'
  while (Date.now() < deadline) {
    const exit = runtime.exited()
    if (exit !== undefined)
      throw new Error(`${name} exited during startup (${exit}); its log:\n${tail(runtime)}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
      if (response.ok) return
      last = `HTTP ${response.status}`
    } catch (error) {
      last = (error as Error).cause ? String((error as Error).cause) : (error as Error).message
    }
    await delay(50)
  }
  await runtime.stop()
  throw new Error(
    `${name} did not answer ${url} within ${timeoutMs} ms (${last}); its log:\n${tail(runtime)}`,
  )
}

function tail(runtime: RuntimeProcess): string {
  return runtime.logs().split('\n').slice(-40).join('\n') || '(empty)'
}
