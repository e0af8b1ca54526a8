/**
 * One consumer of benchmarks/slow-handler.bench.ts, in its own process:
 * `slow-handler-worker.ts <ordering> <guarantee> <input> <output> <records>`. The handler awaits
 * 5 ms (simulated I/O) and, with BENCH_OUTPUTS=1, emits one output; the worker reports records/s from the first handler
 * call to the `records`-th distinct record handled, and its peak RSS.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { Kafka, logLevel } from 'kafkajs'
import { createConsumerGroup, type Guarantee, type Ordering, subscription } from '#libs/consumer'

const [ordering, guarantee, input, output, total] = [
  process.argv[2] as Ordering,
  process.argv[3] as Guarantee,
  process.argv[4]!,
  process.argv[5]!,
  Number(process.argv[6]),
]
const handlerMs = Number(process.env['BENCH_HANDLER_MS'] ?? 5)
const outputs = process.env['BENCH_OUTPUTS'] === '1'
const kafka = new Kafka({
  clientId: `bench-slow-${ordering}`,
  brokers: process.env['KAFKA_BROKERS']!.split(','),
  logLevel: logLevel.NOTHING,
})

// Exactly-once may run a record again after an aborted transaction: count each offset once.
const handled = new Set<string>()
let firstAt = 0
let lastAt = 0
let finish!: () => void
const finished = new Promise<void>((resolve) => (finish = resolve))

const group = createConsumerGroup({
  groupId: `bench-slow-${ordering}-${guarantee}-${Date.now().toString(36)}`,
  kafka,
  consumer: { sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 200 },
  provisionTopics: false,
  defaults: {
    guarantee,
    ordering,
    // The baseline: today's best, every partition at once (6 partitions).
    concurrency: 6,
    maxInFlight: 256,
    deadLetter: false,
  },
  subscriptions: [
    subscription({
      topic: input,
      decode: { decode: (bytes: Buffer) => bytes },
      handler: async (value, ctx) => {
        if (firstAt === 0) firstAt = performance.now()
        await delay(handlerMs)
        if (outputs) await ctx.emit(output, ctx.key, value)
        const id = `${ctx.partition}:${ctx.offset}`
        if (handled.has(id)) return
        handled.add(id)
        if (handled.size === total) {
          lastAt = performance.now()
          finish()
        }
      },
    }),
  ],
})
await group.start()
await finished
await group.stop()
process.stdout.write(
  `${JSON.stringify({
    records: handled.size,
    elapsedMs: Math.round(lastAt - firstAt),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
)
process.exit(0)
