// Exactly-once across a broker crash: payments through the gateway into payments-ledger on a 3-node cluster; the node leading most payments and ledger partitions is SIGKILLed mid-stream and restarted later.
import { setTimeout as delay } from 'node:timers/promises'
import { registryService } from '#libs/stack'
import { ChaosCluster } from './lib/cluster.ts'
import { committedVerdict } from './lib/java-keys.ts'
import { Load, longestGap, OutputReader, percentile } from './lib/load.ts'
import { ledgerKey, newPayment } from './lib/payments.ts'
import { busiestLeader, waitFullyReplicated } from './lib/replication.ts'
import { report, say, smoke } from './lib/scenario.ts'

const scenario = 'broker-failover'
const log = (line: string) => say(scenario, line)
const started = Date.now()
const ratePerSecond = smoke ? 15 : 25
const streamSeconds = smoke ? 30 : 75
const killAtSeconds = smoke ? 8 : 20
const restartAtSeconds = smoke ? 20 : 50

const problems: string[] = []
const cluster = await ChaosCluster.start(['ingest-gateway', 'payments-ledger'], { nodes: 3 })
log(`3-node cluster and services up (${Math.round((Date.now() - started) / 1000)} s)`)
const admin = cluster.kafka().admin()
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
    total: ratePerSecond * streamSeconds,
    ratePerSecond,
  })

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
  const acknowledged = load.acknowledged()
  await reader.settle(acknowledged, smoke ? 60_000 : 120_000)
  await reader.stop()
  // The verdict comes from Kafka's Java consumer: kafkajs's read_committed can return aborted records.
  const verdict = await committedVerdict(cluster.brokers, 'ledger', acknowledged)
  const { lost, duplicates } = verdict
  // The input as well: a payment the gateway wrote twice must still be posted once (the ledger
  // dedupes by paymentId), and this tells a duplicate input from a duplicate output.
  const input = await OutputReader.start(
    cluster.kafka(),
    cluster.url(registryService.name),
    'payments',
    'PaymentConfirmed',
    ledgerKey,
  )
  await input.settle(acknowledged, 60_000)
  await input.stop()
  const inputDuplicates = input.duplicates()
  const unconfirmed = load.outcomes.filter(
    (o) => !o.acknowledged && !(typeof o.lastStatus === 'number' && o.lastStatus < 500),
  )
  const refused = load.outcomes.filter(
    (o) => !o.acknowledged && typeof o.lastStatus === 'number' && o.lastStatus < 500,
  )
  const afterKill = load.attempts(killedAt, restartedAt)
  const acks = load.outcomes.flatMap((o) => (o.ackedAt ? [o.ackedAt] : []))

  if (lost.length > 0)
    problems.push(`${lost.length} acknowledged payments never posted (e.g. ${lost.slice(0, 3).join(', ')})`)
  if (duplicates.keys > 0)
    problems.push(
      `${duplicates.keys} payments posted more than once (Java read_committed; kill at ${new Date(killedAt).toISOString().slice(11, 23)})`,
    )
  if (refused.length > 0)
    problems.push(`${refused.length} valid payments refused (${refused[0]?.lastStatus})`)
  if (acknowledged.size < load.outcomes.length * 0.9)
    problems.push(`only ${acknowledged.size} of ${load.outcomes.length} payments acknowledged`)

  report({
    scenario,
    problems,
    figures: {
      nodes: 3,
      killedNode: victim.nodeId,
      leadersOnKilledNode: victim.led[victim.nodeId] ?? 0,
      sent: load.outcomes.length,
      acknowledged: acknowledged.size,
      unconfirmed: unconfirmed.length,
      unconfirmedButPosted: unconfirmed.filter((o) => reader.seen.has(o.key)).length,
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
      ledgerRecords: verdict.records,
      kafkajsReaderExtraRecords: reader.records - verdict.records,
      lost: lost.length,
      duplicateKeys: duplicates.keys,
      paymentsWrittenTwice: inputDuplicates.keys,
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
