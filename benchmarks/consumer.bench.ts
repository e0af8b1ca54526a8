/**
 * Consumer throughput, side by side on one broker and the same records: Kafka's own Java consumer
 * (org.apache.kafka.tools.ConsumerPerformance, the ceiling), raw kafkajs eachBatch with the same
 * Avro decode, the runtime at-least-once, the runtime exactly-once. Each consumer runs in its own
 * child process so peak RSS is its own.
 *
 *   npm run bench:consumer      BENCH_RECORDS (default 1 000 000), BENCH_ROUNDS (default 3)
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { Partitioners } from 'kafkajs'
import { encodeWire } from '../test/helpers/wire.ts'
import { benchBrokers, benchKafka, benchName, createBenchTopic, deleteBenchTopics, smoke } from './lib/env.ts'
import { kafkaTool } from './lib/java-tools.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, ratio } from './lib/stats.ts'

const modes = ['java', 'raw', 'at-least-once', 'exactly-once'] as const
type Mode = (typeof modes)[number]

export interface WorkerResult {
  records: number
  /** From the first record to the last. */
  elapsedMs: number
  /** From run() to the first record: join, sync, first fetch. */
  startupMs: number
  maxRssMb: number
}

const records = Number(process.env['BENCH_RECORDS'] ?? (smoke ? 5_000 : 1_000_000))
const rounds = Number(process.env['BENCH_ROUNDS'] ?? (smoke ? 1 : 3))
const partitions = 4
const maxBytesPerPartition = 4_194_304
const timeoutMs = Number(process.env['BENCH_TIMEOUT_MS'] ?? 180_000)

function nodeWorker(mode: Exclude<Mode, 'java'>, topic: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [new URL('./consumer-worker.ts', import.meta.url).pathname, mode, topic, String(records)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) reject(new Error(`${mode} worker exited with ${code}`))
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult)
    })
  })
}

/**
 * ConsumerPerformance prints `start, end, MB, MB/s, records, records/s, rebalance ms, fetch ms,
 * fetch MB/s, fetch records/s`; fetch time runs from the first record, like the Node workers' elapsed.
 */
async function javaConsumer(topic: string): Promise<WorkerResult> {
  const stdout = await kafkaTool(
    'ConsumerPerformance',
    [
      '--bootstrap-server',
      benchBrokers().join(','),
      '--topic',
      topic,
      '--messages',
      String(records),
      '--group',
      benchName('bench-java'),
      '--fetch-size',
      String(maxBytesPerPartition),
      '--timeout',
      '30000',
      '--hide-header',
    ],
    timeoutMs,
  )
  const fields = stdout.trim().split('\n').at(-1)?.split(', ') ?? []
  const [consumed, rebalanceMs, fetchMs] = [fields[4], fields[6], fields[7]].map(Number)
  if (fields.length < 10 || !consumed || fetchMs === undefined || rebalanceMs === undefined)
    throw new Error(`unexpected ConsumerPerformance output: ${stdout.slice(-500)}`)
  return { records: consumed, elapsedMs: fetchMs, startupMs: rebalanceMs, maxRssMb: Number.NaN }
}

const runWorker = (mode: Mode, topic: string) =>
  mode === 'java' ? javaConsumer(topic) : nodeWorker(mode, topic)

async function preProduce(topic: string): Promise<number> {
  const kafka = benchKafka()
  await createBenchTopic(kafka, topic, partitions)
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  let bytes = 0
  for (let start = 0; start < records; start += 5_000) {
    const messages = Array.from({ length: Math.min(5_000, records - start) }, (_, i) => {
      const value = encodeWire({ eventId: randomUUID(), amount: start + i, note: 'bench' })
      bytes += value.length
      return { key: `k${(start + i) % 1_000}`, value }
    })
    await producer.send({ topic, acks: 1, messages })
  }
  await producer.disconnect()
  return bytes
}

const topic = benchName('bench-consumer')
const producedBytes = await preProduce(topic)
await runWorker('raw', topic) // warm-up, discarded: page cache, broker state
// Rounds interleave the consumers, so a noisy neighbour on the shared machine hits all of them alike.
const samples = new Map<Mode, WorkerResult[]>(modes.map((mode) => [mode, []]))
for (let round = 0; round < rounds; round++) {
  for (const mode of modes) samples.get(mode)!.push(await runWorker(mode, topic))
}
const bytesPerRecord = producedBytes / records
const rates = new Map<Mode, CaseResult>()
const cases: CaseResult[] = []
const label = { java: 'Java ConsumerPerformance', raw: 'raw kafkajs eachBatch' } as Record<Mode, string>
for (const mode of modes) {
  const runs = samples.get(mode)!
  const name = label[mode] ?? `runtime ${mode}`
  const rate = caseResult(
    `${name} records/s`,
    'records/s',
    runs.map((r) => (r.records / r.elapsedMs) * 1_000),
  )
  rates.set(mode, rate)
  cases.push(
    rate,
    caseResult(
      `${name} MB/s`,
      'MB/s',
      runs.map((r) => (r.records * bytesPerRecord) / 1_048_576 / (r.elapsedMs / 1_000)),
    ),
    caseResult(
      `${name} start to first record`,
      'ms',
      runs.map((r) => r.startupMs),
    ),
  )
  if (mode !== 'java')
    cases.push(
      caseResult(
        `${name} peak RSS`,
        'MB',
        runs.map((r) => r.maxRssMb),
      ),
    )
}
const rate = (mode: Mode) => rates.get(mode)!
emitResult({
  bench: 'consumer',
  cases,
  ratios: [
    ratio('raw kafkajs / Java consumer', rate('raw'), rate('java')),
    ratio('at-least-once / raw kafkajs', rate('at-least-once'), rate('raw'), 0.85),
    ratio('exactly-once / at-least-once', rate('exactly-once'), rate('at-least-once'), 0.6),
  ],
  notes: [
    `${records} Avro records of ~${bytesPerRecord.toFixed(0)} bytes on ${partitions} partitions, ${rounds} interleaved rounds after one discarded raw kafkajs pass, each consumer in its own process`,
    'same fetch size for all: 4 MiB per partition; the Node consumers take 4 partitions concurrently; exactly-once commits one transaction per ≤ 50 000 records',
    'Node handlers decode Avro and count, no outputs; the Java consumer only counts (it does not deserialize values), so it is a ceiling, not a like-for-like',
    'records/s run from the first record to the last (Java: its fetch time); start to first record is join, sync and first fetch (Java: its rebalance time)',
  ],
})
await deleteBenchTopics(benchKafka(), [topic])
