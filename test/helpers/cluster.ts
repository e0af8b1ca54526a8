import type { TestContext } from 'node:test'
import { type LocalCluster, startLocalCluster } from '#libs/kafka-local'

/**
 * A cluster of its own for one test file (three combined KRaft nodes by default), stopped when the
 * test ends. Heavy on two cores: name the file `*-cluster.test.ts` so that `npm test` runs it alone,
 * after the rest (test/run.ts).
 */
export async function ownCluster(t: TestContext, nodes = 3): Promise<LocalCluster> {
  const cluster = await startLocalCluster({ nodes })
  t.after(() => cluster.stop())
  return cluster
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
