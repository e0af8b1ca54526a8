import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cacheDir } from '../../kafka-local/index.ts'

/** What `backbone kafka start` leaves behind so that `status` and `stop` find the broker again. */
export interface LocalKafkaState {
  readonly bootstrap: string
  readonly pid: number
  readonly dataDir: string
  /** False when the operator chose the data directory: `stop` then leaves it in place. */
  readonly ownsDataDir: boolean
  readonly logFile: string
  readonly startedAt: string
}

export function stateFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['BACKBONE_STATE_DIR'] ?? join(cacheDir(env), 'state'), 'local-kafka.json')
}

export async function readState(): Promise<LocalKafkaState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(), 'utf8')) as LocalKafkaState
  } catch {
    return undefined
  }
}

export async function writeState(state: LocalKafkaState): Promise<void> {
  const file = stateFile()
  await mkdir(join(file, '..'), { recursive: true })
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`)
}

export async function clearState(): Promise<void> {
  await rm(stateFile(), { force: true })
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
