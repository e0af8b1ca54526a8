// A rolling restart of a 3-node cluster under steady load: each node SIGTERMed (controlled shutdown), restarted, and the next one only once no partition is under-replicated; payments flow through the gateway into the exactly-once ledger all along.
import { setTimeout as delay } from 'node:timers/promises'
import { type ClusterScenario, runOnCluster } from './lib/cluster-scenario.ts'
import { type Attempt, percentile } from './lib/load.ts'
import { ledgerVerdict, paymentsLoad, readLedger } from './lib/payments.ts'
import { waitFullyReplicated } from './lib/replication.ts'
import { smoke } from './lib/scenario.ts'

const ratePerSecond = smoke ? 15 : 25
const settleSeconds = smoke ? 5 : 10

const summary = (attempts: readonly Attempt[]) => {
  const failed = attempts.filter((a) => typeof a.status !== 'number' || a.status < 200 || a.status >= 300)
  return {
    requests: attempts.length,
    errorRatePercent: attempts.length === 0 ? 0 : Math.round((failed.length / attempts.length) * 1000) / 10,
    p50Ms: percentile(
      attempts.map((a) => a.ms),
      50,
    ),
    p99Ms: percentile(
      attempts.map((a) => a.ms),
      99,
    ),
  }
}

async function roll({ cluster, admin, log }: ClusterScenario) {
  const reader = await readLedger(cluster)
  // Bounded by count; stopped once the roll is over.
  const load = paymentsLoad(cluster, { total: ratePerSecond * 600, ratePerSecond })
  await delay(settleSeconds * 1000)
  const rollStarted = Date.now()
  const nodes: string[] = []
  for (const node of cluster.nodes.nodes) {
    const down = Date.now()
    await cluster.nodes.stopNode(node.nodeId, 'SIGTERM')
    const stoppedMs = Date.now() - down
    await cluster.nodes.startNode(node.nodeId)
    const backMs = Date.now() - down
    const replicatedMs = (await waitFullyReplicated(admin, 180_000)) + backMs
    nodes.push(
      `${node.nodeId}: stop ${(stoppedMs / 1000).toFixed(1)} s, back ${(backMs / 1000).toFixed(1)} s, ISR ${(replicatedMs / 1000).toFixed(1)} s`,
    )
    log(`node ${node.nodeId} restarted (${nodes.at(-1)})`)
  }
  const rollEnded = Date.now()
  await delay(settleSeconds * 1000)
  await load.stop()
  const ledger = await ledgerVerdict(cluster, load, reader)
  const unconfirmed = load.unconfirmed().length
  const before = summary(load.attempts(0, rollStarted))
  const during = summary(load.attempts(rollStarted, rollEnded))
  const problems = [...ledger.problems]
  if (unconfirmed > 0) problems.push(`${unconfirmed} payments never acknowledged within the client's bound`)

  return {
    problems,
    figures: {
      restarts: nodes.join('; '),
      rollSeconds: Math.round((rollEnded - rollStarted) / 100) / 10,
      ...ledger.figures,
      requestsDuringRoll: during.requests,
      errorRatePercentDuringRoll: during.errorRatePercent,
      p50MsDuringRoll: during.p50Ms,
      p99MsDuringRoll: during.p99Ms,
      p50MsBefore: before.p50Ms,
      p99MsBefore: before.p99Ms,
    },
  }
}

await runOnCluster('rolling-restart', ['ingest-gateway', 'payments-ledger'], roll)
process.exit(0)
