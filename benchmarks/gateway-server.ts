/**
 * The two servers the gateway benchmark loads, in one process of their own so the load generator
 * does not share their event loop: a fastify hello-world and the ingest gateway (real publisher,
 * acks=all, an embedded schema registry on the bench broker). Prints one JSON line with both URLs,
 * then one line of the publisher's stats and CPU time for every `stats` line on stdin; stops when its stdin
 * closes (the bench ended or died) or on SIGTERM.
 */
import { createInterface } from 'node:readline'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import Fastify, { type FastifyInstance } from 'fastify'
import { catalogEncoder, catalogTopicSpecs } from '#libs/events'
import { buildIngestApp, GATEWAY_LINGER_MS, hashApiKey, parseApiKeys } from '#libs/ingest'
import { ensureTopics } from '#libs/kafka'
import { silenceKafkajsTimeoutWarning } from '#libs/kafka-local'
import { createMetricsRegistry } from '#libs/observability'
import { createPublisher } from '#libs/publisher'
import { startSchemaRegistry } from '#libs/schema-registry'
import { benchBrokers, benchKafka, benchName } from './lib/env.ts'

silenceKafkajsTimeoutWarning()
const BENCH_KEY = 'bench-key'

const kafka = benchKafka()
const admin = kafka.admin()
await admin.connect()
await ensureTopics(admin, catalogTopicSpecs())
const schemasTopic = benchName('_schemas-gateway-bench')
// Created here and waited for: a registry opening a topic the fresh broker has just created can
// see UNKNOWN_TOPIC_OR_PARTITION for a moment.
await ensureTopics(admin, [
  { topic: schemasTopic, numPartitions: 1, configs: { 'cleanup.policy': 'compact' } },
])
const registry = await startSchemaRegistry({ brokers: benchBrokers(), port: 0, topic: schemasTopic })
const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
// The gateway's own default linger; BENCH_LINGER_MS compares another value.
const lingerMs = Number(process.env['BENCH_LINGER_MS'] ?? GATEWAY_LINGER_MS)
const publisher = createPublisher({
  kafka,
  encoder: catalogEncoder(serde, { registryUrl: registry.url }),
  clientId: 'ingest-gateway',
  lingerMs,
})
await publisher.connect()
const gateway = await buildIngestApp({
  publisher,
  keys: parseApiKeys(`bench:${hashApiKey(BENCH_KEY)}:SensorReading`, ['SensorReading']),
  eventTypes: ['SensorReading'],
  metrics: createMetricsRegistry({ defaultMetrics: false }),
})
await gateway.listen({ host: '127.0.0.1', port: 0 })

const hello = Fastify({ logger: false })
hello.get('/', async () => ({ hello: 'world' }))
await hello.listen({ host: '127.0.0.1', port: 0 })

const url = (app: FastifyInstance) => {
  const address = app.server.address() as { port: number }
  return `http://127.0.0.1:${address.port}`
}
process.stdout.write(`${JSON.stringify({ hello: url(hello), gateway: url(gateway) })}\n`)

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  await Promise.allSettled([hello.close(), gateway.close()])
  await publisher.close()
  await registry.close()
  await admin.deleteTopics({ topics: [schemasTopic] }).catch(() => {})
  await admin.disconnect()
  process.exit(0)
}
process.stdin.on('end', () => void stop())
// "stats" on stdin: one JSON line with the publisher's counters (how many batches carried the load)
// and this process's CPU time so far (what a request costs the servers, apart from broker and load).
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stats') return
  const cpu = process.cpuUsage()
  process.stdout.write(`${JSON.stringify({ ...publisher.stats(), cpuMicros: cpu.user + cpu.system })}\n`)
})
process.once('SIGTERM', () => void stop())
