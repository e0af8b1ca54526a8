// Exactly-once across a broker crash: payments through the gateway into payments-ledger on a 3-node cluster; the node leading most payments and ledger partitions is SIGKILLed mid-stream and restarted later.
import { setTimeout as delay } from 'node:timers/promises'
import { type ClusterScenario, runOnCluster } from './lib/cluster-scenario.ts'
import { longestGap, percentile } from './lib/load.ts'
import { ledgerVerdict, paymentsLoad, readLedger } from './lib/payments.ts'
import { busiestLeader, waitFullyReplicated } from './lib/replication.ts'
import { smoke } from './lib/scenario.ts'

const ratePerSecond = smoke ? 15 : 25
const streamSeconds = smoke ? 30 : 75
const killAtSeconds = smoke ? 8 : 20
const restartAtSeconds = smoke ? 20 : 50

async function failover({ cluster, admin, log }: ClusterScenario) {
  const reader = await readLedger(cluster)
  const load = paymentsLoad(cluster, { total: ratePerSecond * streamSeconds, ratePerSecond })

  await delay(Math.max(0, load.started + killAtSeconds * 1000 - Date.now()))
  const victim = await busiestLeader(admin, ['payments', 'ledger'])
  const killedAt = Date.now()
  await cluster.nodes.stopNode(victim.nodeId, 'SIGKILL')
  log(`SIGKILLed node ${victim.nodeId} (leaders of payments+ledger per node: ${JSON.stringify(victim.led)})`)

  await delay(Math.max(0, load.started + restartAtSeconds * 1000 - Date.now()))
  const restartedAt = Date.now()
  await cluster.nodes.startNode(victim.nodeId)
  const rejoinMs = Date.now() - restartedAt
  const isrRecoveryMs = rejoinMs + (await waitFullyReplicated(admin, 120_000))
  log(`node ${victim.nodeId} back in ${rejoinMs} ms, fully replicated after ${isrRecoveryMs} ms`)

  await load.done
  const ledger = await ledgerVerdict(
    cluster,
    load,
    reader,
    `; kill at ${new Date(killedAt).toISOString().slice(11, 23)}`,
  )
  const afterKill = load.attempts(killedAt, restartedAt)
  const acks = load.outcomes.flatMap((o) => (o.ackedAt ? [o.ackedAt] : []))
  const acknowledged = load.acknowledged().size
  const problems = [...ledger.problems]
  if (acknowledged < load.outcomes.length * 0.9)
    problems.push(`only ${acknowledged} of ${load.outcomes.length} payments acknowledged`)

  return {
    problems,
    figures: {
      killedNode: victim.nodeId,
      leadersOnKilledNode: victim.led[victim.nodeId] ?? 0,
      ...ledger.figures,
      unconfirmedButPosted: load.unconfirmed().filter((o) => reader.seen.has(o.key)).length,
      http503WhileDown: afterKill.filter((a) => a.status === 503).length,
      publishStallSeconds: Math.round(longestGap(acks, killedAt, Math.max(killedAt, ...acks)) / 100) / 10,
      slowestAckWhileDownMs: Math.max(0, ...afterKill.filter((a) => a.status === 202).map((a) => a.ms)),
      ackP99WhileDownMs: percentile(
        afterKill.filter((a) => a.status === 202).map((a) => a.ms),
        99,
      ),
      processingStallSeconds:
        Math.round(longestGap(reader.arrivals, killedAt, Math.max(killedAt, ...reader.arrivals)) / 100) / 10,
      nodeDownSeconds: Math.round((restartedAt - killedAt) / 100) / 10,
      rejoinSeconds: Math.round(rejoinMs / 100) / 10,
      isrRecoveredSeconds: Math.round(isrRecoveryMs / 100) / 10,
    },
  }
}

await runOnCluster('broker-failover', ['ingest-gateway', 'payments-ledger'], failover)
process.exit(0)
