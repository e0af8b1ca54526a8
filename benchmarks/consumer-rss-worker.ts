/**
 * One consumer of benchmarks/consumer-rss.bench.ts, in its own process:
 * `consumer-rss-worker.ts <runtime|raw> <topic> <registry url> <seconds>`. Consumes payments with
 * the real Avro decode for `seconds`, sampling its RSS every second, then prints one JSON line.
 */

import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { createConsumerGroup } from '#libs/consumer'
import { onEvent } from '#libs/events'
import { benchKafka, benchName } from './lib/env.ts'

const [mode, topic, registryUrl, seconds] = [
  process.argv[2]!,
  process.argv[3]!,
  process.argv[4]!,
  Number(process.argv[5]),
]
const kafka = benchKafka()
const serde = new EventSerde(new ConfluentRegistryClient(registryUrl))
const groupId = benchName(`bench-rss-${mode}`)
let consumed = 0
let checksum = 0

let stop: () => Promise<unknown>
if (mode === 'raw') {
  const consumer = kafka.consumer({ groupId })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (const message of batch.messages) {
        const payment = await serde.decode('PaymentConfirmed', message.value!)
        checksum += payment.amountMinor
        consumed++
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
    provisionTopics: false,
    defaults: { guarantee: 'at-least-once', deadLetter: false },
    subscriptions: [
      {
        ...onEvent(serde, 'PaymentConfirmed', (payment) => {
          checksum += payment.amountMinor
          consumed++
        }),
        topic,
      },
    ],
  })
  await group.start()
  stop = () => group.stop()
}

const rssMb: number[] = []
const started = performance.now()
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    rssMb.push(process.memoryUsage.rss() / 1_048_576)
    if (rssMb.length >= seconds) {
      clearInterval(timer)
      resolve()
    }
  }, 1_000)
})
const consumedPerSecond = consumed / ((performance.now() - started) / 1_000)
await stop()
process.stdout.write(
  `${JSON.stringify({ rssMb, peakRssMb: process.resourceUsage().maxRSS / 1024, consumed, consumedPerSecond, checksum })}\n`,
)
process.exit(0)
