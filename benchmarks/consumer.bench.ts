/**
 * Consumer throughput, side by side on one broker: raw kafkajs eachBatch with the same Avro decode,
 * the runtime at-least-once, the runtime exactly-once. Each consumer runs in its own child process
 * so peak RSS is its own. Prints one JSON document.
 *
 *   npm run bench:consumer                 (starts a local broker unless KAFKA_BROKERS is set)
 *   BENCH_RECORDS=300000 BENCH_ROUNDS=5 npm run bench:consumer   (default 1 000 000 records, 3 rounds, ~1 min)
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { Kafka, logLevel, Partitioners } from 'kafkajs'
import { provideKafka } from '#libs/kafka-local'
import { encodeWire } from '../test/helpers/wire.ts'

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

const records = Number(process.env['BENCH_RECORDS'] ?? 1_000_000)
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3)
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
try {
  const topic = `bench-consumer-${Date.now().toString(36)}`
  const producedBytes = await preProduce(kafka.brokers, topic)
  await runWorker('raw', kafka.brokers, topic) // warm-up: page cache and JIT-independent broker state
  // Rounds interleave the modes, so a noisy neighbour on the shared machine hits all of them alike;
  // each mode reports the round with its median throughput.
  const samples: Record<string, WorkerResult[]> = {}
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      const result = await runWorker(mode, kafka.brokers, topic)
      samples[mode] = [...(samples[mode] ?? []), result]
    }
  }
  const results: Record<
    string,
    WorkerResult & { recordsPerSec: number; mbPerSec: number; samplesPerSec: number[] }
  > = {}
  for (const mode of modes) {
    const rated = samples[mode]!.map((result) => ({
      ...result,
      recordsPerSec: Math.round((result.records / result.elapsedMs) * 1_000),
      mbPerSec: Number(
        ((producedBytes * (result.records / records)) / 1_048_576 / (result.elapsedMs / 1_000)).toFixed(2),
      ),
    }))
    rated.sort((a, b) => a.recordsPerSec - b.recordsPerSec)
    const median = rated[Math.floor(rated.length / 2)]!
    results[mode] = {
      ...median,
      maxRssMb: Math.max(...rated.map((r) => r.maxRssMb)),
      samplesPerSec: rated.map((r) => r.recordsPerSec),
    }
  }
  const rate = (result: WorkerResult) => result.records / result.elapsedMs
  const medianRatio = (a: Mode, b: Mode) => {
    const ratios = samples[a]!.map((result, round) => rate(result) / rate(samples[b]![round]!)).sort(
      (x, y) => x - y,
    )
    return Number(ratios[Math.floor(ratios.length / 2)]!.toFixed(3))
  }
  const alo = results['at-least-once']!
  const eos = results['exactly-once']!
  const raw = results['raw']!
  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'consumer',
        records,
        rounds,
        partitions,
        fetch: { maxBytesPerPartition: 4_194_304, exactlyOnceMaxBatchRecords: 50_000, concurrency: 4 },
        avgRecordBytes: Number((producedBytes / records).toFixed(1)),
        node: process.version,
        results,
        ratios: {
          atLeastOnceVsRaw: Number((alo.recordsPerSec / raw.recordsPerSec).toFixed(3)),
          exactlyOnceVsAtLeastOnce: Number((eos.recordsPerSec / alo.recordsPerSec).toFixed(3)),
        },
        // Same-round ratios: the modes of one round ran back to back, so they share the machine's load.
        medianRoundRatios: {
          atLeastOnceVsRaw: medianRatio('at-least-once', 'raw'),
          exactlyOnceVsAtLeastOnce: medianRatio('exactly-once', 'at-least-once'),
        },
        goals: { atLeastOnceVsRaw: 0.85, exactlyOnceVsAtLeastOnce: 0.6 },
      },
      null,
      2,
    )}\n`,
  )
} finally {
  await kafka.stop()
}
