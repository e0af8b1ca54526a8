import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cacheDir } from '../../kafka-local/index.ts'

/** One node of a cluster that `backbone kafka start --nodes N` started. */
export interface LocalKafkaNodeState {
  readonly nodeId: number
  readonly bootstrap: string
  readonly pid: number
  readonly logFile: string
}

/** What `backbone kafka start` leaves behind so that `status` and `stop` find the broker again. */
export interface LocalKafkaState {
  /** Every node's address, comma-separated. */
  readonly bootstrap: string
  /** The (first) node's process group. */
  readonly pid: number
  /** Every node, also for a single broker (older state files have none: then `pid` alone). */
  readonly nodes?: readonly LocalKafkaNodeState[]
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

/** The nodes of a state: its `nodes`, or the single broker of a state written before clusters. */
export function stateNodes(state: LocalKafkaState): readonly LocalKafkaNodeState[] {
  return state.nodes ?? [{ nodeId: 1, bootstrap: state.bootstrap, pid: state.pid, logFile: state.logFile }]
}
