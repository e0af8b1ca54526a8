/**
 * Publisher throughput against raw kafkajs on one broker, side by side in one run.
 *
 *   npm run bench:publisher            (starts a broker with provideKafka unless KAFKA_BROKERS is set)
 *
 * Every scenario sends the same pre-encoded events (Confluent wire format prefix plus a 200-400
 * byte body) to the same topic with an idempotent producer and acks=-1:
 *   publisher          createPublisher, `window` publishes outstanding, maxBatchRecords = batch
 *   publisher-inflight5 the same with maxInFlightBatches 5
 *   kafkajs-batched    `concurrency` concurrent send() calls of `batch` messages each (window = batch x concurrency)
 *   kafkajs-naive      `window` concurrent send() calls of one message each (what one publish per send costs)
 * Rounds run the scenarios back to back in rotating order. The machine is shared, so besides msgs/s
 * min/median/max per scenario the ratios are also taken per round (scenarios of one round ran under
 * about the same load) and their median reported. JSON on stdout.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Kafka, logLevel, type Message, Partitioners, type Producer } from 'kafkajs'
import { provideKafka, silenceKafkajsTimeoutWarning } from '#libs/kafka-local'
import { createPublisher, type EncodedEvent } from '#libs/publisher'

silenceKafkajsTimeoutWarning()

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7)
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 15_000)
const NAIVE_EVENTS = Number(process.env['BENCH_NAIVE_EVENTS'] ?? 2_000)
const BATCH = Number(process.env['BENCH_BATCH'] ?? 200)
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 5)
const WINDOW = BATCH * CONCURRENCY
const PARTITIONS = 3

type Events = { BenchEvent: { index: number } }

function makeEvents(count: number): EncodedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const body = randomBytes(200 + (i % 201))
    const value = Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), body])
    return { topic: '', key: `customer-${i % 1000}`, value }
  })
}

/** Runs `task(i)` for i in [0, count) with at most `limit` running at once. */
async function windowed(count: number, limit: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
}

function rawProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  })
}

const toMessage = (event: EncodedEvent): Message => ({
  key: event.key,
  value: event.value,
  headers: {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    'eb-event-type': 'BenchEvent',
  },
})

interface Run {
  count: number
  ms: number
  /** Client CPU (user + system) spent per message: insensitive to how loaded the broker is. */
  cpuMicrosPerMsg: number
  extra?: object
}

interface Scenario {
  readonly name: string
  run(topic: string, events: EncodedEvent[]): Promise<Run>
}

async function measure(count: number, body: () => Promise<void>): Promise<Run> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  await body()
  const ms = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { count, ms, cpuMicrosPerMsg: Number(((used.user + used.system) / count).toFixed(1)) }
}

function publisherScenario(kafka: Kafka, name: string, maxInFlightBatches: number): Scenario {
  return {
    name,
    async run(topic, events) {
      const publisher = createPublisher<Events>({
        kafka,
        encoder: { encode: async (_type, { index }) => ({ ...events[index]!, topic }) },
        maxBatchRecords: BATCH,
        maxInFlightBatches,
      })
      await publisher.connect()
      await publisher.publish('BenchEvent', { index: 0 })
      const run = await measure(events.length, () =>
        windowed(events.length, WINDOW, (index) => publisher.publish('BenchEvent', { index })),
      )
      const stats = publisher.stats()
      await publisher.close()
      return {
        ...run,
        extra: { averageBatch: Math.round((stats.recordsAcknowledged - 1) / (stats.batchesSent - 1)) },
      }
    },
  }
}

function rawBatchedScenario(kafka: Kafka): Scenario {
  return {
    name: 'kafkajs-batched',
    async run(topic, events) {
      const producer = rawProducer(kafka)
      await producer.connect()
      await producer.send({ topic, acks: -1, messages: [toMessage(events[0]!)] })
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
    },
  }
}

function rawNaiveScenario(kafka: Kafka): Scenario {
  return {
    name: 'kafkajs-naive',
    async run(topic, events) {
      const producer = rawProducer(kafka)
      await producer.connect()
      await producer.send({ topic, acks: -1, messages: [toMessage(events[0]!)] })
      const run = await measure(NAIVE_EVENTS, () =>
        windowed(NAIVE_EVENTS, WINDOW, (i) =>
          producer.send({ topic, acks: -1, messages: [toMessage(events[i]!)] }),
        ),
      )
      await producer.disconnect()
      return run
    },
  }
}

function summary(values: number[], digits = 0) {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (n: number) => Number(n.toFixed(digits))
  return {
    min: round(sorted[0]!),
    median: round(sorted[Math.floor(sorted.length / 2)]!),
    max: round(sorted.at(-1)!),
  }
}

const kafkaProvided = await provideKafka()
const deadline = setTimeout(() => {
  process.stderr.write('benchmark exceeded 90 s\n')
  void kafkaProvided.stop().finally(() => process.exit(1))
}, 90_000)
try {
  const kafka = new Kafka({
    clientId: 'publisher-bench',
    brokers: [...kafkaProvided.brokers],
    logLevel: logLevel.NOTHING,
  })
  const admin = kafka.admin()
  await admin.connect()
  const topic = `publisher-bench-${Date.now().toString(36)}`
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  })

  const events = makeEvents(EVENTS)
  const scenarios = [
    publisherScenario(kafka, 'publisher', 1),
    publisherScenario(kafka, 'publisher-inflight5', 5),
    rawBatchedScenario(kafka),
    rawNaiveScenario(kafka),
  ]
  const rates = new Map<string, number[]>(scenarios.map((s) => [s.name, []]))
  const cpu = new Map<string, number[]>(scenarios.map((s) => [s.name, []]))
  const extras = new Map<string, object[]>()
  for (let round = 0; round < ROUNDS; round++) {
    const order = scenarios.map((_, i) => scenarios[(i + round) % scenarios.length]!)
    for (const scenario of order) {
      const { count, ms, cpuMicrosPerMsg, extra } = await scenario.run(topic, events)
      rates.get(scenario.name)!.push((count * 1000) / ms)
      cpu.get(scenario.name)!.push(cpuMicrosPerMsg)
      if (extra) extras.set(scenario.name, [...(extras.get(scenario.name) ?? []), extra])
    }
  }
  await admin.deleteTopics({ topics: [topic] }).catch(() => {})
  await admin.disconnect()

  const results = Object.fromEntries(
    [...rates].map(([name, values]) => [
      name,
      {
        msgsPerSec: summary(values),
        clientCpuMicrosPerMsg: summary(cpu.get(name)!, 1),
        ...(extras.has(name) ? { rounds: extras.get(name) } : {}),
      },
    ]),
  )
  const median = (name: string) => summary(rates.get(name)!).median
  const pairedRatio = (a: string, b: string) => {
    const perRound = rates.get(a)!.map((rate, round) => rate / rates.get(b)![round]!)
    const sorted = [...perRound].sort((x, y) => x - y)
    return {
      medianOfRoundRatios: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(3)),
      ratioOfMedians: Number((median(a) / median(b)).toFixed(3)),
      perRound: perRound.map((ratio) => Number(ratio.toFixed(3))),
    }
  }
  const report = {
    benchmark: 'publisher',
    broker: kafkaProvided.source,
    rounds: ROUNDS,
    events: EVENTS,
    naiveEvents: NAIVE_EVENTS,
    payloadBytes: { min: 205, max: 405 },
    partitions: PARTITIONS,
    batch: BATCH,
    concurrency: CONCURRENCY,
    window: WINDOW,
    acks: -1,
    idempotent: true,
    results,
    ratios: {
      publisherVsKafkajsBatched: pairedRatio('publisher', 'kafkajs-batched'),
      publisherInflight5VsKafkajsBatched: pairedRatio('publisher-inflight5', 'kafkajs-batched'),
      publisherVsKafkajsNaive: pairedRatio('publisher', 'kafkajs-naive'),
    },
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
} finally {
  clearTimeout(deadline)
  await kafkaProvided.stop()
}
