import { type ChildProcess, spawn } from 'node:child_process'
import type { TestContext } from 'node:test'

export interface Child {
  readonly process: ChildProcess
  /** The last "handled <n>" count the child printed. */
  readonly handled: () => number
  readonly exited: Promise<number | null>
}

/** Runs a fixture script under the same Node, killed with SIGKILL if still alive when the test ends. */
export function runFixture(t: TestContext, script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [new URL(`../fixtures/${script}`, import.meta.url).pathname], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let handled = 0
  let buffer = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      const match = /^handled (\d+)$/.exec(line)
      if (match) handled = Number(match[1])
    }
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { process: child, handled: () => handled, exited }
}
