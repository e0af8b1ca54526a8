import type { Admin } from 'kafkajs'
import { ChaosCluster } from './cluster.ts'
import { report, type ScenarioResult, say } from './scenario.ts'

/** What a scenario body gets: its own 3-node cluster with the services up, a connected admin, its log. */
export interface ClusterScenario {
  readonly cluster: ChaosCluster
  readonly admin: Admin
  readonly log: (line: string) => void
}

export type ClusterScenarioBody = (
  context: ClusterScenario,
) => Promise<Pick<ScenarioResult, 'problems' | 'figures'>>

/**
 * Runs `body` on a 3-node cluster of its own and prints its result (or why it aborted) as the
 * scenario's last stdout line; the cluster and its services are stopped whatever happens.
 */
export async function runOnCluster(
  scenario: string,
  services: readonly string[],
  body: ClusterScenarioBody,
  env?: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Promise<void> {
  const log = (line: string) => say(scenario, line)
  const started = Date.now()
  const cluster = await ChaosCluster.start(services, { nodes: 3, ...(env ? { env } : {}) })
  log(`3-node cluster and services up (${Math.round((Date.now() - started) / 1000)} s)`)
  const admin = cluster.kafka().admin()
  try {
    await admin.connect()
    const { problems, figures } = await body({ cluster, admin, log })
    report({ scenario, problems, figures: { nodes: 3, ...figures } })
  } catch (error) {
    report({ scenario, problems: [`aborted: ${(error as Error).stack ?? error}`], figures: {} })
  } finally {
    await admin.disconnect().catch(() => {})
    await cluster.stop()
  }
}
