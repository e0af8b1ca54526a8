// Every service runs its real composition as a process on a SCRAM-secured broker with its own credentials and nothing but its planned ACLs: the registry, the gateway, the four consumers and the dlq console each do their job.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { catalogEntry, eventTypes } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import type { Admin } from 'kafkajs'
import { accessManifest, applyAcls, groupIdOf, managedPrincipals, planAcls } from '#libs/access'
import { catalogTopicSpecs } from '#libs/events'
import { hashApiKey } from '#libs/ingest'
import { deadLetterTopicName, ensureTopics } from '#libs/kafka'
import { freePort } from '#libs/kafka-local'
import { demoEvents, type ServiceProcess, startServiceProcess } from '#libs/stack'
import { waitFor } from '../../helpers/kafka.ts'
import { type SecuredKafka, startSecuredKafka } from '../../helpers/secured-kafka.ts'

const root = new URL('../../../', import.meta.url).pathname
const consumers = ['upload-processor', 'payments-ledger', 'login-monitor', 'sensor-aggregator'] as const
const apiKey = 'every-service-api-key'
const operatorToken = 'every-service-operator-token'

let secured: SecuredKafka
let admin: Admin
let logDir: string
const running = new Map<string, ServiceProcess>()

async function start(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const port = await freePort()
  const service = await startServiceProcess({
    name,
    entry: join(root, entry),
    url: `http://127.0.0.1:${port}`,
    cwd: root,
    logDir,
    env: {
      ...process.env,
      ...secured.env(name),
      SERVICE_PORT: String(port),
      REGISTRY_PORT: String(port),
      LOG_LEVEL: 'info',
      KAFKA_LOG_LEVEL: 'warn',
      ...env,
    },
    readyTimeoutMs: 90_000,
  })
  running.set(name, service)
  return service
}

async function endOffset(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic)
  return offsets.reduce((sum, partition) => sum + Number(partition.high), 0)
}

before(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'eb-every-service-'))
  secured = await startSecuredKafka(
    managedPrincipals(accessManifest).map((principal) => principal.slice('User:'.length)),
  )
  admin = secured.kafka('admin').admin()
  await admin.connect()
  await ensureTopics(admin, catalogTopicSpecs())
  await applyAcls(admin, planAcls(accessManifest), managedPrincipals(accessManifest))
})

after(async () => {
  for (const service of [...running.values()].reverse()) await service.stop(10_000)
  await admin?.disconnect()
  await secured?.broker.stop()
  if (!process.env['KEEP_TEST_LOGS']) await rm(logDir, { recursive: true, force: true })
})

test('each consumer service consumes in a group named like the service, which is the manifest’s group', () => {
  for (const name of consumers) assert.equal(groupIdOf(name), name)
})

test('every service works under its own principal: events in through the gateway, out of every consumer, a dead letter replayed by the console', async () => {
  const registry = await start('schema-registry', 'services/schema-registry/main.ts', {})
  const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
  for (const eventType of eventTypes()) await serde.schemaId(eventType)

  const common = { SCHEMA_REGISTRY_URL: registry.url }
  const [gateway, , , , , console] = await Promise.all([
    start('ingest-gateway', 'services/ingest-gateway/main.ts', {
      ...common,
      INGEST_API_KEYS: `every:${hashApiKey(apiKey)}:*`,
    }),
    start('upload-processor', 'services/upload-processor/main.ts', { ...common, UPLOAD_RETRY_TIERS: '1s' }),
    start('payments-ledger', 'services/payments-ledger/main.ts', common),
    start('login-monitor', 'services/login-monitor/main.ts', common),
    start('sensor-aggregator', 'services/sensor-aggregator/main.ts', { ...common, SENSOR_WINDOW: '5s' }),
    start('dlq-console', 'services/dlq-console/main.ts', {
      ...common,
      DLQ_OPERATORS: `alice:${operatorToken}`,
    }),
  ])

  for (const item of demoEvents()) {
    const response = await fetch(`${gateway!.url}/v1/events/${item.eventType}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(item.event),
    })
    assert.equal(response.status, 202, `${item.eventType}: ${await response.text()}`)
  }

  const outputs = ['UploadProcessed', 'LedgerPosting', 'SecurityAlert', 'SensorWindowAggregate'] as const
  for (const type of outputs) {
    const topic = catalogEntry(type).topic
    await waitFor(async () => (await endOffset(topic)) > 0, {
      description: `a record in ${topic}`,
      timeoutMs: 60_000,
    })
  }
  const dlt = deadLetterTopicName('upload-processor', catalogEntry('FileUploadCompleted').topic)
  await waitFor(async () => (await endOffset(dlt).catch(() => 0)) > 0, {
    description: `the failing upload in ${dlt}`,
    timeoutMs: 60_000,
  })
  const deadLettered = await endOffset(dlt)

  const auth = { authorization: `Bearer ${operatorToken}` }
  const listed = (await (await fetch(`${console!.url}/api/topics`, { headers: auth })).json()) as unknown
  assert.match(JSON.stringify(listed), new RegExp(dlt.replaceAll('.', '\\.')))
  const started = await fetch(`${console!.url}/api/replays`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ topic: dlt, selection: {} }),
  })
  assert.equal(started.status < 300, true, await started.clone().text())
  const { id } = (await started.json()) as { id: string }
  const job = await waitFor(
    async () => {
      const body = (await (await fetch(`${console!.url}/api/replays/${id}`, { headers: auth })).json()) as {
        status: string
        counts?: { replayed?: number }
      }
      return ['done', 'failed', 'cancelled'].includes(body.status) ? body : undefined
    },
    { description: 'the replay job to finish', timeoutMs: 60_000 },
  )
  assert.equal(job.status, 'done', JSON.stringify(job))
  assert.ok((job.counts?.replayed ?? 0) >= 1, JSON.stringify(job))
  // The replayed upload fails for good again and upload-processor dead-letters it once more.
  await waitFor(async () => (await endOffset(dlt)) > deadLettered, {
    description: `the replayed upload back in ${dlt}`,
    timeoutMs: 60_000,
  })

  for (const [name, service] of running) {
    assert.equal(await service.stop(15_000), 0, `${name} exits 0 on SIGTERM (log: ${service.logFile})`)
  }
  running.clear()
})
