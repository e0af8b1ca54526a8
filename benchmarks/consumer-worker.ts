/** One consumer of benchmarks/consumer.bench.ts, in its own process: `consumer-worker.ts <mode> <topic> <records>`. */
import { Kafka, logLevel } from 'kafkajs'
import { createConsumerGroup, type Guarantee, onChannel, subscription } from '#libs/consumer'
import { type OrderPlaced, orderDecoder } from '../test/helpers/wire.ts'

const [mode, topic, total] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4])]
const kafka = new Kafka({
  clientId: `bench-${mode}`,
  brokers: process.env['KAFKA_BROKERS']!.split(','),
  logLevel: logLevel.NOTHING,
})
const groupId = `bench-${mode}-${Date.now().toString(36)}`
const tuning = {
  sessionTimeout: 10_000,
  heartbeatInterval: 1_000,
  maxWaitTimeInMs: 200,
  maxBytesPerPartition: Number(process.env['BENCH_MAX_BYTES_PER_PARTITION'] ?? 4_194_304),
}
const concurrency = 4

let count = 0
let checksum = 0
let runAt = 0
let firstAt = 0
let finish: () => void
const finished = new Promise<void>((resolve) => {
  finish = resolve
})

// Exactly-once may process a record again after an aborted transaction; count each offset once.
const highest = new Map<number, number>()
function seen(order: OrderPlaced, partition: number, offset: string): void {
  const position = Number(offset)
  if (position <= (highest.get(partition) ?? -1)) return
  highest.set(partition, position)
  if (count === 0) firstAt = performance.now()
  count++
  checksum += order.amount
  if (count === total) finish()
}

if (process.env['BENCH_DEBUG']) {
  const counts: Record<string, number> = {}
  for (const name of ['committed', 'aborted', 'retried', 'deadLettered', 'skipped', 'lifecycle'] as const) {
    onChannel(name, (event) => {
      counts[name] = (counts[name] ?? 0) + 1
      if (name !== 'committed')
        process.stderr.write(
          `${name} ${JSON.stringify(event, (_, v) => (v instanceof Error ? v.stack : v))}\n`,
        )
    })
  }
  process.on('exit', () => process.stderr.write(`${mode} channel counts ${JSON.stringify(counts)}\n`))
}

let stop: () => Promise<unknown>
if (mode === 'raw') {
  const consumer = kafka.consumer({ groupId, ...tuning })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  runAt = performance.now()
  await consumer.run({
    partitionsConsumedConcurrently: concurrency,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (const message of batch.messages) {
        seen(orderDecoder.decode(message.value!), batch.partition, message.offset)
        resolveOffset(message.offset)
      }
      await heartbeat()
    },
  })
  stop = () => consumer.disconnect()
} else {
  const group = createConsumerGroup({
    groupId,
    kafka,
    consumer: tuning,
    provisionTopics: false,
    exactlyOnce: { maxBatchRecords: Number(process.env['BENCH_MAX_BATCH_RECORDS'] ?? 50_000) },
    defaults: { guarantee: mode as Guarantee, concurrency, deadLetter: false },
    subscriptions: [
      subscription({
        topic,
        decode: orderDecoder,
        handler: (order, ctx) => seen(order, ctx.partition, ctx.offset),
      }),
    ],
  })
  runAt = performance.now()
  await group.start()
  stop = () => group.stop()
}
await finished
const lastAt = performance.now()
await stop()
process.stdout.write(
  `${JSON.stringify({
    mode,
    records: count,
    elapsedMs: Math.round(lastAt - firstAt),
    startupMs: Math.round(firstAt - runAt),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    checksum,
  })}\n`,
)
process.exit(0)
