/**
 * Slow handlers: 6 partitions, 10 000 distinct keys, a handler that awaits 5 ms (simulated I/O),
 * up to 256 records in flight (BENCH_OUTPUTS=1: each record also emits one output). Partition-ordered (today's best: every partition
 * at once, `concurrency` 6, the baseline), key-ordered and unordered, each at-least-once and
 * exactly-once, in one run on the same records; each consumer in its own process (peak RSS).
 *
 *   npm run bench -- slow-handler      BENCH_ROUNDS (default 3), BENCH_RECORDS (default 60 000), BENCH_OUTPUTS
 */
import { spawn } from 'node:child_process'
import { Partitioners } from 'kafkajs'
import { benchKafka, benchName, createBenchTopic, deleteBenchTopics, smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, ratio } from './lib/stats.ts'

const orderings = ['partition', 'key', 'none'] as const
const guarantees = ['at-least-once', 'exactly-once'] as const
type Ordering = (typeof orderings)[number]
type Guarantee = (typeof guarantees)[number]

interface WorkerResult {
  records: number
  elapsedMs: number
  maxRssMb: number
}

const records = Number(process.env['BENCH_RECORDS'] ?? (smoke ? 2_000 : 60_000))
const rounds = Number(process.env['BENCH_ROUNDS'] ?? (smoke ? 1 : 3))
// The partition-ordered baseline does ~1 000 records/s: a tenth of the records keeps it near 6 s.
const baselineRecords = Math.max(600, Math.round(records / 10))
const partitions = 6
const keys = 10_000
const timeoutMs = Number(process.env['BENCH_TIMEOUT_MS'] ?? 180_000)

function worker(ordering: Ordering, guarantee: Guarantee, input: string, output: string) {
  const count = ordering === 'partition' ? baselineRecords : records
  return new Promise<WorkerResult>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        new URL('./slow-handler-worker.ts', import.meta.url).pathname,
        ordering,
        guarantee,
        input,
        output,
        String(count),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) reject(new Error(`${ordering} ${guarantee} worker exited with ${code}`))
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult)
    })
  })
}

/** Keys drawn uniformly from 10 000 with a fixed seed, so every run sees the same distribution. */
async function preProduce(topic: string): Promise<void> {
  const kafka = benchKafka()
  await createBenchTopic(kafka, topic, partitions)
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  await producer.connect()
  let seed = 42
  const nextKey = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    return `key-${seed % keys}`
  }
  for (let start = 0; start < records; start += 5_000) {
    const messages = Array.from({ length: Math.min(5_000, records - start) }, (_, i) => ({
      key: nextKey(),
      value: `record-${start + i}`,
    }))
    await producer.send({ topic, acks: 1, messages })
  }
  await producer.disconnect()
}

const input = benchName('bench-slow-in')
const output = benchName('bench-slow-out')
await preProduce(input)
await createBenchTopic(benchKafka(), output, partitions)
const cases = orderings.flatMap((ordering) => guarantees.map((guarantee) => ({ ordering, guarantee })))
const samples = new Map<string, WorkerResult[]>(cases.map((c) => [`${c.ordering} ${c.guarantee}`, []]))
// Rounds interleave the cases, so a noisy neighbour on the shared machine hits all of them alike.
for (let round = 0; round < rounds; round++) {
  for (const { ordering, guarantee } of cases) {
    samples.get(`${ordering} ${guarantee}`)!.push(await worker(ordering, guarantee, input, output))
  }
}
const rates = new Map<string, CaseResult>()
const results: CaseResult[] = []
for (const [name, runs] of samples) {
  const rate = caseResult(
    `${name} records/s`,
    'records/s',
    runs.map((r) => (r.records / r.elapsedMs) * 1_000),
  )
  rates.set(name, rate)
  results.push(
    rate,
    caseResult(
      `${name} peak RSS`,
      'MB',
      runs.map((r) => r.maxRssMb),
    ),
  )
}
const rate = (name: string) => rates.get(name)!
emitResult({
  bench: 'slow-handler',
  cases: results,
  ratios: [
    ratio(
      'key ALO / partition ALO (concurrency 6)',
      rate('key at-least-once'),
      rate('partition at-least-once'),
      20,
    ),
    ratio('key EOS / key ALO', rate('key exactly-once'), rate('key at-least-once'), 0.6),
    ratio(
      'none ALO / partition ALO (concurrency 6)',
      rate('none at-least-once'),
      rate('partition at-least-once'),
    ),
    ratio('key EOS / partition EOS', rate('key exactly-once'), rate('partition exactly-once')),
  ],
  notes: [
    `${records} records (${baselineRecords} for partition ordering) on ${partitions} partitions, ${keys} distinct keys drawn uniformly, ${rounds} interleaved rounds, each consumer in its own process`,
    process.env['BENCH_OUTPUTS'] === '1'
      ? 'handler: await 5 ms, then emit one output (acknowledged before the offset commits under at-least-once, in the transaction under exactly-once)'
      : 'handler: await 5 ms, no outputs (exactly-once: offsets only in each transaction)',
    'partition ordering: concurrency 6 (every partition at once); key and none: maxInFlight 256; default fetch sizes and exactly-once chunk (10 000 records)',
    'records/s from the first handler call to the last distinct record handled',
  ],
})
await deleteBenchTopics(benchKafka(), [input, output])
