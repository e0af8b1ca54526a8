// Scaling under load on a 3-node cluster: payments-ledger, sensor-aggregator (exactly-once) and upload-processor (at-least-once) run as 1, then 3, then 1 instances; the extra instances leave one by SIGTERM and one by SIGKILL.
import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import { listGroups } from '#libs/groups'
import { registryService } from '#libs/stack'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { type ClusterScenario, runOnCluster } from './lib/cluster-scenario.ts'
import { committedVerdict } from './lib/java-keys.ts'
import { Load, OutputReader } from './lib/load.ts'
import { paymentsLoad, readLedger } from './lib/payments.ts'
import { smoke } from './lib/scenario.ts'

const services = ['payments-ledger', 'sensor-aggregator', 'upload-processor'] as const
const streamSeconds = smoke ? 40 : 100
const scaleOutAt = smoke ? 8 : 15
const sigtermAt = smoke ? 22 : 50
const sigkillAt = smoke ? 30 : 70
const sensors = Array.from({ length: 24 }, (_, i) => `chaos-sensor-${i}`)
// Windows close only when the final far-future readings move every partition's watermark: no
// reading of the stream is late however the gateway's workers interleave them.
const sensorEnv = { SENSOR_WINDOW: '5s', SENSOR_GRACE: '1h' }

const at = (seconds: number, from: number) => delay(Math.max(0, from + seconds * 1000 - Date.now()))
const reading = (sensorId: string, occurredAt: Date) => ({
  ...sampleEvents.SensorReading,
  eventId: randomUUID(),
  sensorId,
  occurredAt: occurredAt.toISOString(),
  value: 20,
})

async function scaleOutIn({ cluster, admin, log }: ClusterScenario) {
  const gateway = (type: string) => `${cluster.url('ingest-gateway')}/v1/events/${type}`
  const registry = cluster.url(registryService.name)
  const ledger = await readLedger(cluster)
  const windows = await OutputReader.start(
    cluster.kafka(),
    registry,
    'sensor-windows',
    'SensorWindowAggregate',
    (value) => `${value['sensorId']}@${(value['windowStart'] as Date).toISOString()}`,
  )
  let windowedReadings = 0
  const countWindows = windows.onValue((value) => {
    windowedReadings += Number(value['count'])
  })
  const uploads = await OutputReader.start(
    cluster.kafka(),
    registry,
    'uploads-processed',
    'UploadProcessed',
    (value) => String(value['sourceEventId']),
  )
  const problems: string[] = []
  const common = { apiKey: cluster.apiKey, workers: 4 }
  let sensorIndex = 0
  const loads = {
    payments: paymentsLoad(cluster, {
      workers: common.workers,
      ratePerSecond: 10,
      total: 10 * streamSeconds,
    }),
    sensors: new Load({
      ...common,
      url: gateway('SensorReading'),
      makeEvent: () => {
        const body = reading(sensors[sensorIndex++ % sensors.length]!, new Date())
        return { key: body.eventId, body }
      },
      ratePerSecond: 10,
      total: 10 * streamSeconds,
    }),
    uploads: new Load({
      ...common,
      url: gateway('FileUploadCompleted'),
      makeEvent: () => {
        const eventId = randomUUID()
        const { simulate: _simulate, ...tags } = sampleEvents.FileUploadCompleted.tags
        const body = {
          ...sampleEvents.FileUploadCompleted,
          eventId,
          uploadId: randomUUID(),
          occurredAt: new Date().toISOString(),
          tags,
        }
        return { key: eventId, body }
      },
      ratePerSecond: 5,
      total: 5 * streamSeconds,
    }),
  }
  const streamStarted = loads.payments.started
  const instances = (n: number) => services.map((service) => `${service}#${n}`)

  await at(scaleOutAt, streamStarted)
  await Promise.all([...instances(2), ...instances(3)].map((name) => cluster.start(name, 120_000)))
  log(`scaled out to 3 instances each at ${Math.round((Date.now() - streamStarted) / 1000)} s`)
  await at(sigtermAt, streamStarted)
  await Promise.all(instances(2).map((name) => cluster.stopService(name)))
  log(`instance 2 of each SIGTERMed at ${Math.round((Date.now() - streamStarted) / 1000)} s`)
  await at(sigkillAt, streamStarted)
  await Promise.all(instances(3).map((name) => cluster.kill(name)))
  log(`instance 3 of each SIGKILLed at ${Math.round((Date.now() - streamStarted) / 1000)} s`)

  await Promise.all(Object.values(loads).map((load) => load.done))
  // Far-future readings, one per sensor (so one on every partition that holds a window), close
  // every window of the stream; their own windows stay open and are not counted.
  const flushAt = new Date(Date.now() + 2 * 3600_000)
  let flushed = 0
  const flush = new Load({
    ...common,
    url: gateway('SensorReading'),
    makeEvent: () => {
      const body = reading(sensors[flushed++ % sensors.length]!, flushAt)
      return { key: body.eventId, body }
    },
    ratePerSecond: 1000,
    total: sensors.length,
    workers: 1,
  })
  await flush.done

  const boundMs = smoke ? 90_000 : 180_000
  await ledger.settle(loads.payments.acknowledged(), boundMs)
  const lostUploads = await uploads.settle(loads.uploads.acknowledged(), boundMs)
  const ackedReadings = loads.sensors.acknowledged().size
  const unconfirmedReadings = loads.sensors.outcomes.length - ackedReadings
  const readingsDeadline = Date.now() + boundMs
  while (windowedReadings < ackedReadings && Date.now() < readingsDeadline) await delay(500)
  await delay(3_000)
  countWindows()

  // Lag back to 0: every input partition of the three groups read and committed.
  const lagDeadline = Date.now() + 60_000
  let lag: Record<string, number> = {}
  for (;;) {
    const groups = await listGroups(admin)
    lag = Object.fromEntries(
      services.map((service) => [service, groups.find((g) => g.groupId === service)?.totalLag ?? -1]),
    )
    if (Object.values(lag).every((value) => value === 0) || Date.now() > lagDeadline) break
    await delay(1_000)
  }
  await Promise.all([ledger.stop(), windows.stop(), uploads.stop()])

  // The ledger's verdict comes from Kafka's Java consumer: kafkajs's read_committed can return
  // aborted records. The sensor windows are keyed by sensor (many windows a key), so their check
  // stays with the kafkajs reader: an aborted window read there shows as a duplicate or an excess.
  const ledgerVerdict = await committedVerdict(cluster.brokers, 'ledger', loads.payments.acknowledged())
  const lostPayments = ledgerVerdict.lost
  const ledgerDuplicates = ledgerVerdict.duplicates
  const windowDuplicates = windows.duplicates()
  const uploadDuplicates = uploads.duplicates()
  if (lostPayments.length > 0) problems.push(`${lostPayments.length} acknowledged payments never posted`)
  if (ledgerDuplicates.keys > 0)
    problems.push(
      `${ledgerDuplicates.keys} payments posted more than once (${ledger.duplicateExamples().join('; ')})`,
    )
  if (windowDuplicates.keys > 0)
    problems.push(`${windowDuplicates.keys} sensor windows emitted more than once`)
  if (windowedReadings < ackedReadings || windowedReadings > ackedReadings + unconfirmedReadings)
    problems.push(
      `sensor windows count ${windowedReadings} readings, ${ackedReadings} acknowledged (+${unconfirmedReadings} unconfirmed)`,
    )
  if (lostUploads.length > 0) problems.push(`${lostUploads.length} acknowledged uploads never processed`)
  for (const [service, value] of Object.entries(lag)) {
    if (value !== 0) problems.push(`${service} lag ${value} a minute after the stream (not back to 0)`)
  }
  for (const [name, load] of Object.entries(loads)) {
    const refused = load.refused()
    if (refused.length > 0)
      problems.push(`${refused.length} valid ${name} refused (${refused[0]?.lastStatus})`)
  }

  return {
    problems,
    figures: {
      instances: '1 → 3 → 1 (one leaves by SIGTERM, one by SIGKILL)',
      paymentsAcknowledged: loads.payments.acknowledged().size,
      ledgerRecords: ledgerVerdict.records,
      kafkajsReaderExtraLedgerRecords: ledger.records - ledgerVerdict.records,
      paymentsLost: lostPayments.length,
      ledgerDuplicateKeys: ledgerDuplicates.keys,
      readingsAcknowledged: ackedReadings,
      readingsInClosedWindows: windowedReadings,
      sensorWindows: windows.seen.size,
      sensorWindowDuplicates: windowDuplicates.keys,
      uploadsAcknowledged: loads.uploads.acknowledged().size,
      uploadsProcessedRecords: uploads.records,
      uploadsLost: lostUploads.length,
      uploadDuplicateKeys: uploadDuplicates.keys,
      uploadDuplicateRecords: uploadDuplicates.records,
      lagAfter: Object.entries(lag)
        .map(([service, value]) => `${service} ${value}`)
        .join(', '),
      guarantee: 'exactly-once (ledger, sensors), at-least-once (uploads)',
    },
  }
}

await runOnCluster('scale-out-in', ['ingest-gateway', ...services], scaleOutIn, {
  'sensor-aggregator': sensorEnv,
})
process.exit(0)
