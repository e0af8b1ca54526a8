// A rolling restart of a 3-node cluster under steady load: each node SIGTERMed (controlled shutdown), restarted, and the next one only once no partition is under-replicated; payments flow through the gateway into the exactly-once ledger all along.
import { setTimeout as delay } from 'node:timers/promises'
import { registryService } from '#libs/stack'
import { ChaosCluster } from './lib/cluster.ts'
import { committedVerdict } from './lib/java-keys.ts'
import { type Attempt, inputDuplicates, Load, OutputReader, percentile } from './lib/load.ts'
import { ledgerKey, newPayment } from './lib/payments.ts'
import { waitFullyReplicated } from './lib/replication.ts'
import { report, say, smoke } from './lib/scenario.ts'

const scenario = 'rolling-restart'
const log = (line: string) => say(scenario, line)
const started = Date.now()
const ratePerSecond = smoke ? 15 : 25
const settleSeconds = smoke ? 5 : 10

const problems: string[] = []
const cluster = await ChaosCluster.start(['ingest-gateway', 'payments-ledger'], { nodes: 3 })
log(`3-node cluster and services up (${Math.round((Date.now() - started) / 1000)} s)`)
const admin = cluster.kafka().admin()
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
try {
  await admin.connect()
  const reader = await OutputReader.start(
    cluster.kafka(),
    cluster.url(registryService.name),
    'ledger',
    'LedgerPosting',
    ledgerKey,
  )
  const load = new Load({
    url: `${cluster.url('ingest-gateway')}/v1/events/PaymentConfirmed`,
    apiKey: cluster.apiKey,
    makeEvent: newPayment,
    // Bounded by count; stopped once the roll is over.
    total: ratePerSecond * 600,
    ratePerSecond,
  })
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
  const acknowledged = load.acknowledged()
  await reader.settle(acknowledged, smoke ? 60_000 : 120_000)
  await reader.stop()
  // The verdict comes from Kafka's Java consumer: kafkajs's read_committed can return aborted records.
  const verdict = await committedVerdict(cluster.brokers, 'ledger', acknowledged)
  const { lost, duplicates } = verdict
  const writtenTwice = await inputDuplicates(
    cluster.kafka(),
    cluster.url(registryService.name),
    'payments',
    'PaymentConfirmed',
    ledgerKey,
    acknowledged,
  )
  const refused = load.outcomes.filter(
    (o) => !o.acknowledged && typeof o.lastStatus === 'number' && o.lastStatus < 500,
  )
  const unconfirmed = load.outcomes.filter((o) => !o.acknowledged).length - refused.length
  const before = summary(load.attempts(0, rollStarted))
  const during = summary(load.attempts(rollStarted, rollEnded))

  if (lost.length > 0)
    problems.push(`${lost.length} acknowledged payments never posted (e.g. ${lost.slice(0, 3).join(', ')})`)
  if (duplicates.keys > 0)
    problems.push(`${duplicates.keys} payments posted more than once (Java read_committed)`)
  if (refused.length > 0)
    problems.push(`${refused.length} valid payments refused (${refused[0]?.lastStatus})`)
  if (unconfirmed > 0) problems.push(`${unconfirmed} payments never acknowledged within the client's bound`)

  report({
    scenario,
    problems,
    figures: {
      nodes: 3,
      restarts: nodes.join('; '),
      rollSeconds: Math.round((rollEnded - rollStarted) / 100) / 10,
      sent: load.outcomes.length,
      acknowledged: acknowledged.size,
      unconfirmed,
      requestsDuringRoll: during.requests,
      errorRatePercentDuringRoll: during.errorRatePercent,
      p50MsDuringRoll: during.p50Ms,
      p99MsDuringRoll: during.p99Ms,
      p50MsBefore: before.p50Ms,
      p99MsBefore: before.p99Ms,
      ledgerRecords: verdict.records,
      kafkajsReaderExtraRecords: reader.records - verdict.records,
      lost: lost.length,
      duplicateKeys: duplicates.keys,
      paymentsWrittenTwice: writtenTwice,
      guarantee: 'exactly-once',
    },
  })
} catch (error) {
  report({ scenario, problems: [`aborted: ${(error as Error).stack ?? error}`], figures: {} })
} finally {
  await admin.disconnect().catch(() => {})
  await cluster.stop()
}
process.exit(0)
