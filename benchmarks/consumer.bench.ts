/**
 * Consumer throughput, side by side on one broker: raw kafkajs eachBatch with the same Avro decode,
 * the runtime at-least-once, the runtime exactly-once. Each consumer runs in its own child process
 * so peak RSS is its own. Prints one JSON line in the shape of benchmarks/lib/stats.ts (BenchResult).
 *
 *   npm run bench:consumer                 (through benchmarks/run.ts, which provides the broker)
 *   node benchmarks/consumer.bench.ts      (alone: starts a local broker unless KAFKA_BROKERS is set)
 *   BENCH_RECORDS=300000 BENCH_ROUNDS=5 npm run bench:consumer   (default 1 000 000 records, 3 rounds, ~1 min)
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpus, totalmem } from 'node:os'
import { Kafka, logLevel, Partitioners } from 'kafkajs'
import { provideKafka } from '#libs/kafka-local'
import { encodeWire } from '../test/helpers/wire.ts'
import { type BenchResult, type CaseResult, ratio, summarize } from './lib/stats.ts'

const modes = ['raw', 'at-least-once', 'exactly-once'] as const
type Mode = (typeof modes)[number]

export interface WorkerResult {
  mode: Mode
  records: number
  /** From the first record to the last. */
  elapsedMs: number
  /** From run() to the first record: join, sync, first fetch. */
  startupMs: number
  maxRssMb: number
}

const smoke = process.env['BENCH_SMOKE'] === '1'
const records = Number(process.env['BENCH_RECORDS'] ?? (smoke ? 5_000 : 1_000_000))
const rounds = Number(process.env['BENCH_ROUNDS'] ?? (smoke ? 1 : 3))
const partitions = 4
const timeoutMs = Number(process.env['BENCH_TIMEOUT_MS'] ?? 180_000)

function runWorker(mode: Mode, brokers: readonly string[], topic: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [new URL('./consumer-worker.ts', import.meta.url).pathname, mode, topic, String(records)],
      {
        env: {
          ...process.env,
          KAFKA_BROKERS: brokers.join(','),
          NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --disable-warning=TimeoutNegativeWarning`,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
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

async function preProduce(brokers: readonly string[], topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [...brokers], logLevel: logLevel.NOTHING })
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true })
  await admin.disconnect()
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

const kafka = await provideKafka()
const startedAt = new Date().toISOString()
try {
  const topic = `bench-consumer-${Date.now().toString(36)}`
  const producedBytes = await preProduce(kafka.brokers, topic)
  await runWorker('raw', kafka.brokers, topic) // warm-up, discarded: page cache, broker state
  // Rounds interleave the modes, so a noisy neighbour on the shared machine hits all of them alike.
  const samples = new Map<Mode, WorkerResult[]>(modes.map((mode) => [mode, []]))
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) samples.get(mode)!.push(await runWorker(mode, kafka.brokers, topic))
  }
  const bytesPerRecord = producedBytes / records
  const cases = new Map<Mode, CaseResult>()
  const all: CaseResult[] = []
  for (const mode of modes) {
    const runs = samples.get(mode)!
    const perSec = {
      name: `${mode} records/s`,
      unit: 'records/s',
      ...summarize(runs.map((r) => (r.records / r.elapsedMs) * 1_000)),
    }
    cases.set(mode, perSec)
    all.push(
      perSec,
      {
        name: `${mode} MB/s`,
        unit: 'MB/s',
        ...summarize(runs.map((r) => (r.records * bytesPerRecord) / 1_048_576 / (r.elapsedMs / 1_000))),
      },
      { name: `${mode} peak RSS`, unit: 'MB', ...summarize(runs.map((r) => r.maxRssMb)) },
      { name: `${mode} run() to first record`, unit: 'ms', ...summarize(runs.map((r) => r.startupMs)) },
    )
  }
  const result: BenchResult = {
    bench: 'consumer',
    startedAt,
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    cases: all,
    ratios: [
      ratio('at-least-once / raw kafkajs', cases.get('at-least-once')!, cases.get('raw')!, 0.85),
      ratio('exactly-once / at-least-once', cases.get('exactly-once')!, cases.get('at-least-once')!, 0.6),
    ],
    notes: [
      `${records} Avro records of ~${bytesPerRecord.toFixed(0)} bytes on ${partitions} partitions, ${rounds} interleaved rounds, each consumer in its own child process`,
      'same fetch settings for all three: 4 MiB per partition, 4 partitions consumed concurrently; exactly-once commits one transaction per ≤ 50 000 records',
      'handlers decode and count, no outputs; raw = kafkajs eachBatch with the same decode',
    ],
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
} finally {
  await kafka.stop()
}
