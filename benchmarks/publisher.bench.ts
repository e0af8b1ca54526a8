/**
 * Publisher throughput against raw kafkajs on one broker, side by side in one run.
 *
 *   npm run bench:publisher   (or `npm run bench`; alone, this file starts a broker with provideKafka)
 *
 * Every case sends the same pre-encoded events (Confluent wire format prefix plus a 200-400 byte
 * body, a key, the two backbone headers) to the same topic with an idempotent producer, acks=-1:
 *   publisher            createPublisher, `window` publishes outstanding, maxBatchRecords = batch
 *   kafkajs batched      `concurrency` concurrent send() calls of `batch` messages each: the same
 *                        batch size and the same records outstanding as the publisher
 *   kafkajs naive        `window` concurrent send() calls of one message each (one publish, one send)
 * Rounds run the cases back to back in rotating order; ratios are taken round by round. Client CPU
 * per message is reported too: unlike msg/s it hardly depends on how loaded the shared broker is.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Kafka, logLevel, type Message, Partitioners, type Producer } from 'kafkajs'
import { provideKafka, silenceKafkajsTimeoutWarning } from '#libs/kafka-local'
import { createPublisher, type EncodedEvent } from '#libs/publisher'
import { smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { caseResult, ratio } from './lib/stats.ts'

silenceKafkajsTimeoutWarning()

const ROUNDS = smoke ? 1 : 7
const EVENTS = smoke ? 2_000 : 15_000
const NAIVE_EVENTS = smoke ? 500 : 2_000
const BATCH = 200
const CONCURRENCY = 5
const WINDOW = BATCH * CONCURRENCY
const PARTITIONS = 3
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

type Events = { BenchEvent: { index: number } }

interface Run {
  readonly msgsPerSec: number
  /** Client CPU (user + system) per message. */
  readonly cpuMicrosPerMsg: number
}

function makeEvents(topic: string, count: number): EncodedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    topic,
    key: `customer-${i % 1000}`,
    value: Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), randomBytes(200 + (i % 201))]),
  }))
}

const toMessage = (event: EncodedEvent): Message => ({
  key: event.key,
  value: event.value,
  headers: { traceparent: TRACEPARENT, 'eb-event-type': 'BenchEvent' },
})

/** Runs `task(i)` for i in [0, count) with at most `limit` running at once. */
async function windowed(count: number, limit: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
}

async function measure(count: number, body: () => Promise<void>): Promise<Run> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  await body()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { msgsPerSec: (count * 1000) / ms, cpuMicrosPerMsg: (used.user + used.system) / count }
}

async function publisherCase(kafka: Kafka, events: EncodedEvent[]): Promise<Run> {
  const publisher = createPublisher<Events>({
    kafka,
    encoder: { encode: async (_type, { index }) => events[index]! },
    maxBatchRecords: BATCH,
  })
  await publisher.publish('BenchEvent', { index: 0 })
  const run = await measure(events.length, () =>
    windowed(events.length, WINDOW, (index) => publisher.publish('BenchEvent', { index })),
  )
  await publisher.close()
  return run
}

async function rawProducer(kafka: Kafka, topic: string): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  })
  await producer.connect()
  await producer.send({ topic, acks: -1, messages: [{ value: 'warm-up' }] })
  return producer
}

async function rawBatchedCase(kafka: Kafka, topic: string, events: EncodedEvent[]): Promise<Run> {
  const producer = await rawProducer(kafka, topic)
  const run = await measure(events.length, () =>
    windowed(Math.ceil(events.length / BATCH), CONCURRENCY, (chunk) =>
      producer.send({
        topic,
        acks: -1,
        messages: events.slice(chunk * BATCH, (chunk + 1) * BATCH).map(toMessage),
      }),
    ),
  )
  await producer.disconnect()
  return run
}

async function rawNaiveCase(kafka: Kafka, topic: string, events: EncodedEvent[]): Promise<Run> {
  const producer = await rawProducer(kafka, topic)
  const run = await measure(NAIVE_EVENTS, () =>
    windowed(NAIVE_EVENTS, WINDOW, (i) =>
      producer.send({ topic, acks: -1, messages: [toMessage(events[i]!)] }),
    ),
  )
  await producer.disconnect()
  return run
}

const provided = await provideKafka()
const deadline = setTimeout(() => {
  process.stderr.write('publisher bench: exceeded 90 s\n')
  void provided.stop().finally(() => process.exit(1))
}, 90_000)
try {
  const kafka = new Kafka({
    clientId: 'publisher-bench',
    brokers: [...provided.brokers],
    logLevel: logLevel.NOTHING,
  })
  const admin = kafka.admin()
  await admin.connect()
  const topic = `publisher-bench-${randomBytes(4).toString('hex')}`
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  })
  const events = makeEvents(topic, EVENTS)

  const cases = {
    publisher: (sample = events) => publisherCase(kafka, sample),
    batched: (sample = events) => rawBatchedCase(kafka, topic, sample),
    naive: (sample = events) => rawNaiveCase(kafka, topic, sample),
  }
  type Name = keyof typeof cases
  const names = Object.keys(cases) as Name[]
  // One unrecorded pass so no case pays for JIT warm-up in the first round.
  for (const name of names) await cases[name](events.slice(0, WINDOW * 2))
  const runs = Object.fromEntries(names.map((name) => [name, [] as Run[]])) as Record<Name, Run[]>
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]!
      runs[name].push(await cases[name]())
    }
  }
  await admin.deleteTopics({ topics: [topic] }).catch(() => {})
  await admin.disconnect()

  const rate = (name: Name, label: string) =>
    caseResult(
      label,
      'msg/s',
      runs[name].map((r) => r.msgsPerSec),
    )
  const cpu = (name: Name, label: string) =>
    caseResult(
      label,
      'µs CPU/msg',
      runs[name].map((r) => r.cpuMicrosPerMsg),
    )
  const publisher = rate('publisher', `publisher (batch ≤ ${BATCH})`)
  const batched = rate('batched', `raw kafkajs send, ${BATCH}/send, ${CONCURRENCY} concurrent`)
  const naive = rate('naive', `raw kafkajs send, 1/send, ${WINDOW} concurrent`)
  const publisherCpu = cpu('publisher', 'publisher client CPU')
  const batchedCpu = cpu('batched', 'raw kafkajs batched client CPU')
  emitResult({
    bench: 'publisher',
    cases: [publisher, batched, naive, publisherCpu, batchedCpu],
    ratios: [
      ratio('publisher / raw kafkajs batched', publisher, batched, 0.7),
      ratio('publisher / raw kafkajs one-per-send', publisher, naive),
      ratio('raw batched CPU / publisher CPU per msg', batchedCpu, publisherCpu),
    ],
    notes: [
      `${EVENTS} events per round (${NAIVE_EVENTS} for one-per-send), ${ROUNDS} rounds in rotating order after one unrecorded warm-up pass, ${PARTITIONS} partitions, payloads 205-405 B, acks=-1, idempotent; broker ${provided.source}`,
      `the publisher keeps ${WINDOW} publishes outstanding, as many records as the batched baseline (${CONCURRENCY} x ${BATCH})`,
    ],
  })
} finally {
  clearTimeout(deadline)
  await provided.stop()
}
