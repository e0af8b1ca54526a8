/**
 * Avro with Confluent wire framing (EventSerde, registry ids cached in memory) against JSON, for
 * one sample event of every catalog type. JSON is measured as it would travel in a Kafka record:
 * `Buffer.from(JSON.stringify(event))` and `JSON.parse(buffer.toString())` (which, unlike Avro,
 * does not validate and leaves timestamps as strings). No broker: the registry is in memory, so
 * this measures serde, not HTTP.
 *
 * Each of BENCH_PROCESSES fresh processes measures BENCH_ROUNDS rounds: within one process the rounds
 * agree closely, but from process to process the ratios move by up to ±10% (V8's optimisation
 * choices differ per process), so one process alone would report one draw of that as the figure.
 *
 *   npm run bench:serde          BENCH_PROCESSES (default 3) × BENCH_ROUNDS (default 3) rounds of
 *                                BENCH_MS (default 100) per operation
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type EventType, eventTypes } from '@event-backbone/catalog'
import { EventSerde, type SchemaRegistryClient } from '@event-backbone/serde'
import type { RecordContext } from '#libs/consumer'
import { onEvent } from '#libs/events'
import { sampleEvents } from '../test/helpers/sample-events.ts'
import { smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, type RatioResult, ratio } from './lib/stats.ts'

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? (smoke ? 1 : 3))
const PROCESSES = Number(process.env['BENCH_PROCESSES'] ?? (smoke ? 1 : 3))
const WORKER = process.env['SERDE_BENCH_WORKER'] === '1'
const MEASURE_MS = Number(process.env['BENCH_MS'] ?? (smoke ? 20 : 100))
const BATCH = 500
const GOAL = 2

class MemoryRegistry implements SchemaRegistryClient {
  readonly schemas: string[] = []
  async register(_subject: string, schema: string): Promise<number> {
    const known = this.schemas.indexOf(schema)
    return known >= 0 ? known + 1 : this.schemas.push(schema)
  }
  async getSchemaById(id: number): Promise<string> {
    return this.schemas[id - 1]!
  }
}

/**
 * Operations per second of `operation`, run in batches until MEASURE_MS has passed. Only promises
 * are awaited: the async serde pays for its promise, the synchronous JSON calls pay for nothing.
 */
async function opsPerSecond(operation: () => unknown): Promise<number> {
  const started = process.hrtime.bigint()
  const budget = BigInt(MEASURE_MS) * 1_000_000n
  let done = 0
  let elapsed = 0n
  while (elapsed < budget) {
    for (let i = 0; i < BATCH; i++) {
      const result = operation()
      if (result instanceof Promise) await result
    }
    done += BATCH
    elapsed = process.hrtime.bigint() - started
  }
  return done / (Number(elapsed) / 1e9)
}

const operationNames = ['Avro encode', 'JSON encode', 'Avro decode', 'JSON decode'] as const
type Operation = (typeof operationNames)[number]

async function measure(eventType: EventType, serde: EventSerde, rounds: number) {
  const event = sampleEvents[eventType]
  const avroBytes = await serde.encode(eventType, event)
  const jsonBytes = Buffer.from(JSON.stringify(event))
  // Decoding goes through the decoder the consumer runtime calls for an onEvent subscription, and
  // encoding through the call emitEvent and the publisher's catalog encoder make.
  const decoder = onEvent(serde, eventType, () => {}).decode
  const record: RecordContext = {
    topic: 'bench',
    sourceTopic: 'bench',
    partition: 0,
    offset: '42',
    timestamp: '0',
    key: null,
    headers: {},
  }
  const operations: Record<Operation, () => unknown> = {
    'Avro encode': () => serde.encodeSyncIfCached(eventType, event),
    'JSON encode': () => Buffer.from(JSON.stringify(event)),
    'Avro decode': () => decoder.decode(avroBytes, record),
    'JSON decode': () => JSON.parse(jsonBytes.toString()),
  }
  const samples = Object.fromEntries(operationNames.map((name) => [name, [] as number[]])) as Record<
    Operation,
    number[]
  >
  // Operations alternate within a round, so a noisy neighbour hits Avro and JSON alike.
  for (let round = 0; round < rounds; round++) {
    for (const name of operationNames) samples[name].push(await opsPerSecond(operations[name]))
  }
  return { bytes: `${eventType} ${avroBytes.length} B Avro, ${jsonBytes.length} B JSON`, samples }
}

type Samples = Record<EventType, { bytes: string; samples: Record<Operation, number[]> }>

/** One process's rounds for every event type (the worker's job). */
async function measureAll(): Promise<Samples> {
  const serde = new EventSerde(new MemoryRegistry())
  const all = {} as Samples
  for (const eventType of eventTypes()) {
    // A first, discarded round registers the schema, fills the caches and lets V8 optimise.
    await measure(eventType, serde, 1)
    all[eventType] = await measure(eventType, serde, ROUNDS)
  }
  return all
}

if (WORKER) {
  process.stdout.write(`${JSON.stringify(await measureAll())}\n`)
} else {
  // Processes run one after another, never side by side; each one's rounds pair Avro with JSON.
  const runs: Samples[] = []
  for (let i = 0; i < PROCESSES; i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url)], {
      env: { ...process.env, SERDE_BENCH_WORKER: '1' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    })
    runs.push(JSON.parse(out.trim().split('\n').at(-1)!) as Samples)
  }
  const cases: CaseResult[] = []
  const ratios: RatioResult[] = []
  const sizes: string[] = []
  for (const eventType of eventTypes()) {
    const c = Object.fromEntries(
      operationNames.map((name) => [
        name,
        caseResult(
          `${eventType} ${name}`,
          'ops/s',
          runs.flatMap((run) => run[eventType].samples[name]),
        ),
      ]),
    ) as Record<Operation, CaseResult>
    cases.push(...operationNames.map((name) => c[name]))
    ratios.push(
      ratio(`${eventType} encode Avro / JSON`, c['Avro encode'], c['JSON encode'], GOAL),
      ratio(`${eventType} decode Avro / JSON`, c['Avro decode'], c['JSON decode'], GOAL),
    )
    sizes.push(runs[0]![eventType].bytes)
  }
  emitResult({
    bench: 'serde',
    cases,
    ratios,
    notes: [
      `${PROCESSES} fresh processes, one after another, × ${ROUNDS} rounds of ${MEASURE_MS} ms per operation and event type, operations alternating within a round, after one discarded warm-up round per process; min/median/max are over all ${PROCESSES * ROUNDS} rounds`,
      'decoding Avro validates and builds Date objects; JSON.parse does neither',
      `record sizes: ${sizes.join('; ')}`,
    ],
  })
}
