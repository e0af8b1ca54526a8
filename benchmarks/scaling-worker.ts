/**
 * One exactly-once consumer instance of benchmarks/scaling.bench.ts, in its own process:
 * `scaling-worker.ts <topic> <records>`. Reports throughput, the producers it created (one
 * transactional producer per assigned input partition, plus the group's own), the TCP connections
 * it holds while running, and its peak RSS.
 */
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs'
import { createConsumerGroup, subscription } from '#libs/consumer'
import { orderDecoder } from '../test/helpers/wire.ts'

const [topic, total] = [process.argv[2]!, Number(process.argv[3])]
const kafka = new Kafka({
  clientId: 'bench-scaling',
  brokers: process.env['KAFKA_BROKERS']!.split(','),
  logLevel: logLevel.NOTHING,
} satisfies KafkaConfig)
let producers = 0
let transactional = 0
const createProducer = kafka.producer.bind(kafka)
kafka.producer = (config) => {
  producers += 1
  if (config?.transactionalId) transactional += 1
  return createProducer(config)
}
const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length

let count = 0
let firstAt = 0
let connections = 0
let finish: () => void
const finished = new Promise<void>((resolve) => {
  finish = resolve
})
// An aborted transaction may hand a record again: count each offset once.
const highest = new Map<number, number>()
const group = createConsumerGroup({
  groupId: `bench-scaling-${Date.now().toString(36)}`,
  kafka,
  consumer: { sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 200 },
  provisionTopics: false,
  defaults: { guarantee: 'exactly-once', concurrency: 4, deadLetter: false },
  subscriptions: [
    subscription({
      topic,
      decode: orderDecoder,
      handler: (_order, ctx) => {
        const position = Number(ctx.offset)
        if (position <= (highest.get(ctx.partition) ?? -1)) return
        highest.set(ctx.partition, position)
        if (count === 0) firstAt = performance.now()
        count += 1
        if (count === total) {
          connections = sockets()
          finish()
        }
      },
    }),
  ],
})
const runAt = performance.now()
await group.start()
await finished
const lastAt = performance.now()
await group.stop()
process.stdout.write(
  `${JSON.stringify({
    records: count,
    elapsedMs: Math.round(lastAt - firstAt),
    startupMs: Math.round(firstAt - runAt),
    producers,
    transactional,
    connections,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
)
process.exit(0)
