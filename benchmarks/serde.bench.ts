/**
 * Avro with Confluent wire framing (EventSerde, registry ids cached in memory) against JSON, for
 * one sample event of every catalog type. JSON is measured as it would travel in a Kafka record:
 * `Buffer.from(JSON.stringify(event))` and `JSON.parse(buffer.toString())` (which, unlike Avro,
 * does not validate and leaves timestamps as strings).
 *
 *   npm run bench:serde            JSON results on stdout, a table on stderr
 *   BENCH_ROUNDS=3 BENCH_MS=100    fewer rounds or shorter measurements
 */
import { type EventType, eventTypes } from '#libs/catalog'
import { EventSerde, type SchemaRegistryClient } from '#libs/serde'
import { sampleEvents } from '../test/helpers/sample-events.ts'

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5)
const MEASURE_MS = Number(process.env['BENCH_MS'] ?? 100)
const BATCH = 500

/** Schemas live in memory: the benchmark measures serde, not HTTP. */
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

interface Stats {
  readonly min: number
  readonly median: number
  readonly max: number
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

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  const round = (value: number) => Math.round(value)
  return {
    min: round(sorted[0]!),
    median: round(sorted[Math.floor(sorted.length / 2)]!),
    max: round(sorted.at(-1)!),
  }
}

async function measure(eventType: EventType, serde: EventSerde, rounds: number) {
  const event = sampleEvents[eventType]
  const avroBytes = await serde.encode(eventType, event)
  const jsonBytes = Buffer.from(JSON.stringify(event))
  const operations = {
    avroEncode: () => serde.encode(eventType, event),
    avroDecode: () => serde.decode(eventType, avroBytes),
    jsonEncode: () => Buffer.from(JSON.stringify(event)),
    jsonDecode: () => JSON.parse(jsonBytes.toString()),
  }
  const samples: Record<keyof typeof operations, number[]> = {
    avroEncode: [],
    avroDecode: [],
    jsonEncode: [],
    jsonDecode: [],
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, operation] of Object.entries(operations)) {
      samples[name as keyof typeof operations].push(await opsPerSecond(operation))
    }
  }
  const result = {
    avroEncode: stats(samples.avroEncode),
    jsonEncode: stats(samples.jsonEncode),
    avroDecode: stats(samples.avroDecode),
    jsonDecode: stats(samples.jsonDecode),
  }
  return {
    eventType,
    bytes: { avro: avroBytes.length, json: jsonBytes.length },
    ...result,
    encodeRatio: Number((result.avroEncode.median / result.jsonEncode.median).toFixed(2)),
    decodeRatio: Number((result.avroDecode.median / result.jsonDecode.median).toFixed(2)),
  }
}

const serde = new EventSerde(new MemoryRegistry())
const started = Date.now()
const results = []
for (const eventType of eventTypes()) {
  // A first, discarded round registers the schema, fills the caches and lets V8 optimise.
  await measure(eventType, serde, 1)
  results.push(await measure(eventType, serde, ROUNDS))
}

const GOAL = 2
const summary = {
  goal: `avro/json ops/s ratio >= ${GOAL} for encode and decode`,
  minEncodeRatio: Math.min(...results.map((result) => result.encodeRatio)),
  minDecodeRatio: Math.min(...results.map((result) => result.decodeRatio)),
}
const report = {
  benchmark: 'serde',
  node: process.version,
  rounds: ROUNDS,
  measureMs: MEASURE_MS,
  seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  summary: { ...summary, met: summary.minEncodeRatio >= GOAL && summary.minDecodeRatio >= GOAL },
  results,
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)

const pad = (value: unknown, width: number) => String(value).padStart(width)
const k = (value: number) => `${(value / 1000).toFixed(0)}k`
process.stderr.write(
  `${'event type'.padEnd(22)}${pad('avro B', 7)}${pad('json B', 7)}${pad('enc avro', 10)}${pad('enc json', 10)}` +
    `${pad('ratio', 7)}${pad('dec avro', 10)}${pad('dec json', 10)}${pad('ratio', 7)}   (median ops/s)\n`,
)
for (const r of results) {
  process.stderr.write(
    `${r.eventType.padEnd(22)}${pad(r.bytes.avro, 7)}${pad(r.bytes.json, 7)}${pad(k(r.avroEncode.median), 10)}` +
      `${pad(k(r.jsonEncode.median), 10)}${pad(r.encodeRatio, 7)}${pad(k(r.avroDecode.median), 10)}` +
      `${pad(k(r.jsonDecode.median), 10)}${pad(r.decodeRatio, 7)}\n`,
  )
}
