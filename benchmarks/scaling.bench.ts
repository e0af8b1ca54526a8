/**
 * How cost grows with partitions and replication.
 *
 *   npm run bench -- scaling    BENCH_SCALING_RECORDS (default 30 000)
 *
 * 1. One exactly-once instance (its own process) reading 12, 48 and 192 input partitions on the
 *    bench's broker: records/s, start to first record, producers and TCP connections it holds,
 *    peak RSS. kafkajs has no KIP-447, so the runtime opens one transactional producer per
 *    assigned input partition (libs/consumer/src/eos/producer-pool.ts): the cost this shows.
 * 2. The same publisher and exactly-once load on a 1-node and on a 3-node cluster (RF 3, min ISR
 *    2, acks=all), started here one after the other with the same heap: what replication costs.
 * BENCH_SMOKE=1: 2 and 4 partitions, few records, no cluster part.
 */
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Kafka, logLevel, Partitioners } from 'kafkajs'
import { waitForTopics } from '#libs/kafka'
import { silenceKafkajsTimeoutWarning, startLocalCluster } from '#libs/kafka-local'
import { createPublisher, type EncodedEvent } from '#libs/publisher'
import { encodeWire } from '../test/helpers/wire.ts'
import { benchBrokers, smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, ratio } from './lib/stats.ts'

silenceKafkajsTimeoutWarning()

interface WorkerResult {
  records: number
  elapsedMs: number
  startupMs: number
  producers: number
  transactional: number
  connections: number
  maxRssMb: number
}

const records = Number(process.env['BENCH_SCALING_RECORDS'] ?? (smoke ? 1_000 : 30_000))
const partitionCounts = smoke ? [2, 4] : [12, 48, 192]
const clusterPartitions = 12
const publishEvents = 15_000
const workerTimeoutMs = 240_000

const kafkaOf = (brokers: readonly string[]) =>
  new Kafka({ clientId: 'bench-scaling', brokers: [...brokers], logLevel: logLevel.NOTHING })

async function createTopic(kafka: Kafka, topic: string, partitions: number, replicas: number): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: replicas,
          configEntries: [{ name: 'min.insync.replicas', value: String(Math.max(1, replicas - 1)) }],
        },
      ],
    })
    // A KRaft broker briefly answers UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created.
    await waitForTopics(admin, [topic], 60_000)
  } finally {
    await admin.disconnect()
  }
}

async function preProduce(kafka: Kafka, topic: string, count: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true })
  await producer.connect()
  for (let start = 0; start < count; start += 5_000) {
    const messages = Array.from({ length: Math.min(5_000, count - start) }, (_, i) => ({
      key: `k${start + i}`,
      value: encodeWire({ eventId: randomUUID(), amount: start + i, note: 'bench' }),
    }))
    await producer.send({ topic, acks: -1, messages })
  }
  await producer.disconnect()
}

function exactlyOnceWorker(brokers: readonly string[], topic: string, count: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [new URL('./scaling-worker.ts', import.meta.url).pathname, topic, String(count)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KAFKA_BROKERS: brokers.join(',') } },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), workerTimeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) reject(new Error(`scaling worker on ${topic} exited with ${code}`))
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult)
    })
  })
}

async function publisherRate(kafka: Kafka, topic: string): Promise<number> {
  const events: EncodedEvent[] = Array.from({ length: publishEvents }, (_, i) => ({
    topic,
    key: `customer-${i % 1000}`,
    value: Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), randomBytes(200 + (i % 201))]),
  }))
  const publisher = createPublisher<{ BenchEvent: { index: number } }>({
    kafka,
    encoder: { encode: async (_type, { index }) => events[index]! },
    maxBatchRecords: 200,
  })
  await publisher.publish('BenchEvent', { index: 0 })
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: 1_000 }, async () => {
      while (next < events.length) await publisher.publish('BenchEvent', { index: next++ })
    }),
  )
  const rate = (events.length * 1000) / (performance.now() - started)
  await publisher.close()
  return rate
}

const name = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`
const cases: CaseResult[] = []
const byPartitions = new Map<number, CaseResult>()

// Part 1: partitions per exactly-once instance, on the bench's broker.
const benchKafka = kafkaOf(benchBrokers())
{
  // One discarded run first: the first measured one would otherwise pay for the broker's and the
  // page cache's warm-up (its start to first record came out 5× the next one's).
  const topic = name('bench-scaling-warm-up')
  await createTopic(benchKafka, topic, partitionCounts[0]!, 1)
  await preProduce(benchKafka, topic, Math.min(records, 5_000))
  await exactlyOnceWorker(benchBrokers(), topic, Math.min(records, 5_000))
  const admin = benchKafka.admin()
  await admin.connect()
  await admin.deleteTopics({ topics: [topic] }).catch(() => {})
  await admin.disconnect()
}
for (const partitions of partitionCounts) {
  const topic = name(`bench-scaling-${partitions}`)
  await createTopic(benchKafka, topic, partitions, 1)
  await preProduce(benchKafka, topic, records)
  const run = await exactlyOnceWorker(benchBrokers(), topic, records)
  const rate = caseResult(`exactly-once, ${partitions} partitions`, 'records/s', [
    (run.records / run.elapsedMs) * 1000,
  ])
  byPartitions.set(partitions, rate)
  cases.push(
    rate,
    caseResult(`exactly-once, ${partitions} partitions: start to first record`, 'ms', [run.startupMs]),
    caseResult(`exactly-once, ${partitions} partitions: producers`, 'producers', [run.producers]),
    caseResult(`exactly-once, ${partitions} partitions: transactional producers`, 'producers', [
      run.transactional,
    ]),
    caseResult(`exactly-once, ${partitions} partitions: TCP connections`, 'connections', [run.connections]),
    caseResult(`exactly-once, ${partitions} partitions: peak RSS`, 'MB', [run.maxRssMb]),
  )
  const admin = benchKafka.admin()
  await admin.connect()
  await admin.deleteTopics({ topics: [topic] }).catch(() => {})
  await admin.disconnect()
}
const first = partitionCounts[0]!
const last = partitionCounts.at(-1)!
const ratios = [
  ratio(
    `exactly-once records/s, ${last} / ${first} partitions`,
    byPartitions.get(last)!,
    byPartitions.get(first)!,
  ),
]

// Part 2: 1 node against 3 nodes (RF 3, min ISR 2), the same heap, one after the other.
const notes = [
  `part 1: after one discarded warm-up run, ${records} Avro records of ~60 B per partition count, pre-produced; one exactly-once instance (own process, concurrency 4, handler only counts) on the bench's single broker; connections are the TCP sockets it holds when the last record is seen`,
]
if (!smoke) {
  const perNodes = new Map<number, { publish: CaseResult; eos: CaseResult }>()
  for (const nodes of [1, 3]) {
    const cluster = await startLocalCluster({ nodes })
    try {
      const kafka = kafkaOf(cluster.brokers)
      const replicas = Math.min(3, nodes)
      const publishTopic = name('bench-scaling-publish')
      await createTopic(kafka, publishTopic, clusterPartitions, replicas)
      const publish = caseResult(`publisher, ${nodes} node${nodes > 1 ? 's' : ''} RF ${replicas}`, 'msg/s', [
        await publisherRate(kafka, publishTopic),
      ])
      const eosTopic = name('bench-scaling-eos')
      await createTopic(kafka, eosTopic, clusterPartitions, replicas)
      await preProduce(kafka, eosTopic, records)
      const run = await exactlyOnceWorker(cluster.brokers, eosTopic, records)
      const eos = caseResult(
        `exactly-once, ${nodes} node${nodes > 1 ? 's' : ''} RF ${replicas}`,
        'records/s',
        [(run.records / run.elapsedMs) * 1000],
      )
      cases.push(publish, eos)
      perNodes.set(nodes, { publish, eos })
    } finally {
      await cluster.stop()
    }
  }
  ratios.push(
    ratio('publisher msg/s, 3 nodes RF 3 / 1 node', perNodes.get(3)!.publish, perNodes.get(1)!.publish),
    ratio('exactly-once records/s, 3 nodes RF 3 / 1 node', perNodes.get(3)!.eos, perNodes.get(1)!.eos),
  )
  notes.push(
    `part 2: ${publishEvents} publisher events (205-405 B, 1 000 outstanding, batch ≤ 200, acks=all) and ${records} exactly-once records on ${clusterPartitions} partitions, on a 1-node then a 3-node local cluster (RF 3, min ISR 2), all nodes on this machine's cores with the default node heap; one run each`,
  )
}
emitResult({ bench: 'scaling', cases, ratios, notes })
process.exit(0)
