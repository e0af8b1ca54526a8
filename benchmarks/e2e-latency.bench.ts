/**
 * End-to-end latency at a steady moderate rate: payments published with the publisher and the
 * catalog's Avro encoder (over the embedded registry), consumed by a consumer group through
 * `onEvent`, at-least-once and exactly-once. Latency is the handler's entry time minus the
 * payment's `occurredAt`, set when it was published. The exactly-once handler emits a ledger
 * posting with `emitEvent`; a read_committed consumer times when that output becomes visible.
 * Publisher, groups and reader share this process; the two modes alternate round by round.
 *
 *   npm run bench -- e2e-latency     BENCH_RATE (default 500 events/s), BENCH_SECONDS (10) per round
 */
import { randomUUID } from 'node:crypto'
import { catalogEntry, type EventOf, type EventTypeMap } from '@event-backbone/catalog'
import { type ConsumerGroup, createConsumerGroup, type Guarantee } from '#libs/consumer'
import { catalogTopicSpecs, emitEvent, onEvent } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { createPublisher, type Publisher } from '#libs/publisher'
import { benchKafka, benchName, createBenchTopic, deleteBenchTopics, smoke } from './lib/env.ts'
import { benchPayment, catalogEncoderOn, startBenchRegistry, steadily } from './lib/events.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, quantile, ratio } from './lib/stats.ts'

const perSecond = Number(process.env['BENCH_RATE'] ?? (smoke ? 200 : 500))
const seconds = Number(process.env['BENCH_SECONDS'] ?? (smoke ? 2 : 10))
const rounds = smoke ? 1 : 3
const drainTimeoutMs = 30_000
const modes = ['at-least-once', 'exactly-once'] as const
type Mode = (typeof modes)[number]
type Series = 'at-least-once handler' | 'exactly-once handler' | 'exactly-once output read_committed'

const kafka = benchKafka()
const registry = await startBenchRegistry()
const serde = registry.serde
const topics = { 'at-least-once': benchName('bench-e2e-alo'), 'exactly-once': benchName('bench-e2e-eos') }
for (const topic of Object.values(topics)) await createBenchTopic(kafka, topic)
const ledgerTopic = catalogEntry('LedgerPosting').topic
const admin = kafka.admin()
await admin.connect()
await ensureTopics(
  admin,
  catalogTopicSpecs().filter((spec) => spec.topic === ledgerTopic),
)
await admin.disconnect()

/** When each payment was published, by paymentId; a series records each payment's first arrival only. */
const publishedAt = new Map<string, number>()
const allSeries: Series[] = [
  'at-least-once handler',
  'exactly-once handler',
  'exactly-once output read_committed',
]
const fresh = () => new Map(allSeries.map((series) => [series, new Map<string, number>()]))
let current = fresh()
function arrived(series: Series, paymentId: string): void {
  const sent = publishedAt.get(paymentId)
  const seen = current.get(series)!
  if (sent !== undefined && !seen.has(paymentId)) seen.set(paymentId, Date.now() - sent)
}

function posting(payment: EventOf<'PaymentConfirmed'>): EventOf<'LedgerPosting'> {
  const line = { amountMinor: payment.amountMinor, currency: payment.currency }
  return {
    eventId: randomUUID(),
    occurredAt: new Date(),
    source: 'e2e-latency-bench',
    postingId: randomUUID(),
    paymentId: payment.paymentId,
    sourceEventId: payment.eventId,
    lines: [
      { accountId: payment.payerAccountId, direction: 'DEBIT', ...line },
      { accountId: payment.payeeAccountId, direction: 'CREDIT', ...line },
    ],
    memo: null,
  }
}

function startGroup(mode: Mode): ConsumerGroup {
  const subscription = onEvent(serde, 'PaymentConfirmed', async (payment, ctx) => {
    arrived(`${mode} handler`, payment.paymentId)
    if (mode === 'exactly-once') await emitEvent(ctx, serde, 'LedgerPosting', posting(payment))
  })
  return createConsumerGroup({
    groupId: benchName(`bench-e2e-${mode}`),
    kafka,
    provisionTopics: false,
    defaults: { guarantee: mode as Guarantee, deadLetter: false },
    subscriptions: [{ ...subscription, topic: topics[mode] }],
  })
}

// The output reader joins first and starts at the end of the ledger: only this run's postings count.
const reader = kafka.consumer({ groupId: benchName('bench-e2e-reader'), maxWaitTimeInMs: 100 })
await reader.connect()
await reader.subscribe({ topic: ledgerTopic, fromBeginning: false })
const joined = new Promise((resolve) => reader.on(reader.events.GROUP_JOIN, resolve))
await reader.run({
  eachMessage: async ({ message }) => {
    if (message.key) arrived('exactly-once output read_committed', message.key.toString())
  },
})
await joined
const groups = modes.map(startGroup)
await Promise.all(groups.map((group) => group.start()))
const publishers = Object.fromEntries(
  modes.map((mode) => [mode, createPublisher({ kafka, encoder: catalogEncoderOn(serde, topics[mode]) })]),
) as Record<Mode, Publisher<EventTypeMap>>

async function round(mode: Mode, count: number): Promise<Map<Series, number[]>> {
  current = fresh()
  await steadily(count, perSecond, async () => {
    const payment = benchPayment()
    publishedAt.set(payment.paymentId, payment.occurredAt.getTime())
    await publishers[mode].publish('PaymentConfirmed', payment)
  })
  const series: Series[] =
    mode === 'exactly-once'
      ? ['exactly-once handler', 'exactly-once output read_committed']
      : ['at-least-once handler']
  const deadline = Date.now() + drainTimeoutMs
  while (series.some((name) => current.get(name)!.size < count)) {
    if (Date.now() > deadline)
      throw new Error(`${mode}: not every payment arrived within ${drainTimeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  publishedAt.clear()
  return new Map(series.map((name) => [name, [...current.get(name)!.values()]]))
}

try {
  // One unrecorded second per mode: schema registration, first fetches, transactional producers.
  for (const mode of modes) await round(mode, perSecond)
  const latencies = new Map<Series, number[][]>()
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) {
      for (const [series, values] of await round(mode, perSecond * seconds)) {
        latencies.set(series, [...(latencies.get(series) ?? []), values])
      }
    }
  }
  const cases: Record<string, CaseResult> = {}
  for (const [series, perRound] of latencies) {
    for (const [label, q] of [
      ['p50', 0.5],
      ['p99', 0.99],
      ['max', 1],
    ] as const) {
      cases[`${series} ${label}`] = caseResult(
        `${series} ${label}`,
        'ms',
        perRound.map((values) => quantile(values, q)),
      )
    }
  }
  const at = (name: string) => cases[name]!
  emitResult({
    bench: 'e2e-latency',
    cases: Object.values(cases),
    ratios: [
      ratio(
        'exactly-once / at-least-once p99 at handler',
        at('exactly-once handler p99'),
        at('at-least-once handler p99'),
      ),
      ratio(
        'exactly-once / at-least-once p50 at handler',
        at('exactly-once handler p50'),
        at('at-least-once handler p50'),
      ),
    ],
    notes: [
      `${perSecond} payments/s for ${seconds} s per mode and round, ${rounds} rounds alternating the modes after one unrecorded second each; 3 partitions; publisher defaults (linger 5 ms, acks=all)`,
      'latency = handler entry (or the output read read_committed) minus occurredAt stamped at publish, in whole milliseconds; publisher, both groups and the reader share one process',
      'both groups run with the runtime defaults (concurrency 1, dead-lettering off); exactly-once commits one transaction per fetched batch, with the output and the input offsets in it',
    ],
  })
} finally {
  await Promise.all(groups.map((group) => group.stop()))
  await Promise.all(Object.values(publishers).map((publisher) => publisher.close()))
  await reader.disconnect()
  await deleteBenchTopics(kafka, Object.values(topics))
  await registry.close()
}
