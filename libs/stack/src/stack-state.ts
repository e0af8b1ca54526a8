import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { RunningStack } from './stack.ts'

/** What `backbone up` tells `backbone status` about the stack it runs (`.backbone/stack.json`). */
export interface StackState {
  readonly pid: number
  readonly startedAt: string
  readonly kafka: { readonly source: string; readonly brokers: readonly string[] }
  readonly logDir: string
  readonly services: ReadonlyArray<{
    readonly name: string
    readonly url: string
    readonly pid: number | null
    readonly state: string
    readonly restarts: number
    readonly logFile: string
  }>
}

export function stackStateFile(root: string): string {
  return join(root, '.backbone', 'stack.json')
}

export function snapshot(stack: RunningStack, startedAt: Date): StackState {
  return {
    pid: process.pid,
    startedAt: startedAt.toISOString(),
    kafka: { source: stack.kafka.source, brokers: stack.kafka.brokers },
    logDir: stack.logDir,
    services: [stack.registry, ...stack.services].map((service) => ({
      name: service.name,
      url: service.url,
      pid: service.pid ?? null,
      state: service.state,
      restarts: service.restarts,
      logFile: service.logFile,
    })),
  }
}

/** Written whole and renamed into place, so a reader never sees half a file. */
export async function writeStackState(root: string, state: StackState): Promise<void> {
  const file = stackStateFile(root)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
  await rename(`${file}.tmp`, file)
}

export async function readStackState(root: string): Promise<StackState | undefined> {
  try {
    return JSON.parse(await readFile(stackStateFile(root), 'utf8')) as StackState
  } catch {
    return undefined
  }
}
