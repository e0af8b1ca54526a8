import type { TestContext } from 'node:test'
import { type LocalCluster, startLocalCluster } from '#libs/kafka-local'

export interface OwnCluster extends LocalCluster {
  /**
   * Registers a client's disconnect to run before the cluster stops. `t.after` hooks run in the
   * order they were registered, and the cluster's was first: a kafkajs consumer disconnected after
   * its cluster is gone keeps retrying and holds the test process open.
   */
  beforeStop(close: () => Promise<unknown>): void
}

/**
 * A cluster of its own for one test (three combined KRaft nodes by default), stopped when the test
 * ends, after the clients given to `beforeStop`. Heavy on two cores: name the file
 * `*-cluster.test.ts` so that `npm test` runs it alone, after the rest (test/run.ts).
 */
export async function ownCluster(t: TestContext, nodes = 3): Promise<OwnCluster> {
  const closers: (() => Promise<unknown>)[] = []
  const cluster = await startLocalCluster({ nodes })
  t.after(async () => {
    for (const close of closers.reverse()) await close().catch(() => {})
    await cluster.stop()
  })
  return { ...cluster, beforeStop: (close) => closers.push(close) }
}

/** Whether any process of the process group `pgid` (a node's wrapper and its JVM) still runs. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

/** SIGKILLs a node's whole process group (wrapper and JVM), as a crash of its machine would. */
export function killNode(pgid: number): void {
  process.kill(-pgid, 'SIGKILL')
}
