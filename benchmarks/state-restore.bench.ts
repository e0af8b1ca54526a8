/**
 * Restore of one changelog partition of the ledger's dedupe store at 100k and 1M keys: time, peak
 * RSS and retained heap per key, against the same read with no store (the floor: fence, one-
 * partition group, fetch and kafkajs's decode) and the same read at kafkajs's default fetch size.
 * Each restore runs alone in a fresh process (state-restore-worker.ts), so its memory is its own;
 * modes alternate round by round.
 *
 *   npm run bench -- state-restore      BENCH_RESTORE_KEYS=100000,1000000 (default), BENCH_ROUNDS=3
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { APPLIED_KEY, changelogTopicSpec } from '#libs/state'
import { benchKafka, benchName, deleteBenchTopics, smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, type RatioResult, ratio } from './lib/stats.ts'

const sizes = (process.env['BENCH_RESTORE_KEYS'] ?? (smoke ? '2000' : '100000,1000000'))
  .split(',')
  .map(Number)
const rounds = Number(process.env['BENCH_ROUNDS'] ?? (smoke ? 1 : 3))
const modes = ['scan', 'scan-1mib', 'store'] as const
type Mode = (typeof modes)[number]
const goalSeconds = 10
const horizonMs = 30 * 86_400_000

interface WorkerResult {
  readonly keys: number
  readonly ms: number
  readonly retainedHeapBytes: number
  readonly peakRssDeltaBytes: number
}

/** A ledger store value as the service writes it (services/payments-ledger/logic.ts `postedEntry`). */
function entry(): Buffer {
  return Buffer.from(
    JSON.stringify({
      sourceEventId: randomUUID(),
      postingId: randomUUID(),
      payerAccountId: `acct-${randomUUID().slice(0, 12)}`,
      payeeAccountId: `acct-${randomUUID().slice(0, 12)}`,
      amountMinor: Math.floor(Math.random() * 1_000_000) + 1,
      currency: 'EUR',
    }),
  )
}

/** Bench setup, not the measurement: plain batches, acks=1, no compression, several in flight. */
async function fill(topic: string, keys: number): Promise<number> {
  const producer = benchKafka().producer({ idempotent: false, maxInFlightRequests: 8 })
  await producer.connect()
  const started = performance.now()
  // Under the broker's 1 MiB max.message.bytes: one send is one record batch.
  const batch = 3_000
  let next = 0
  let bytes = 0
  const worker = async () => {
    while (next < keys) {
      const count = Math.min(batch, keys - next)
      next += count
      const messages = Array.from({ length: count }, () => {
        const value = entry()
        bytes += value.length + 36
        return { key: randomUUID(), value, partition: 0 }
      })
      await producer.send({ topic, acks: 1, messages })
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
  await producer.send({ topic, acks: -1, messages: [{ key: APPLIED_KEY, value: String(keys), partition: 0 }] })
  await producer.disconnect()
  process.stderr.write(
    `[state-restore] ${keys} keys (${Math.round(bytes / 2 ** 20)} MiB) written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  )
  return bytes
}

function runWorker(mode: Mode, topic: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', new URL('./state-restore-worker.ts', import.meta.url).pathname, mode, topic],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let stdout = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1)
      if (code !== 0 || !last) return reject(new Error(`state-restore worker ${mode} exited ${code}`))
      resolve(JSON.parse(last) as WorkerResult)
    })
  })
}

const kafka = benchKafka()
const cases: CaseResult[] = []
const ratios: RatioResult[] = []
const notes: string[] = []
const topics: string[] = []
try {
  for (const keys of sizes) {
    const topic = benchName('restore')
    topics.push(topic)
    const admin = kafka.admin()
    await admin.connect()
    // The ledger's changelog spec (compact,delete, retention from the horizon) at RF 1.
    const spec = changelogTopicSpec(topic, 1, { horizonMs })
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
        },
      ],
    })
    await admin.disconnect()
    const bytes = await fill(topic, keys)
    const runs: Record<Mode, WorkerResult[]> = { scan: [], 'scan-1mib': [], store: [] }
    for (let round = 0; round < rounds; round++) {
      for (const mode of modes) {
        const result = await runWorker(mode, topic)
        if (result.keys < keys) throw new Error(`${mode} restored ${result.keys} of ${keys} keys`)
        runs[mode].push(result)
      }
    }
    const label = keys >= 1_000_000 ? `${keys / 1_000_000}M` : `${keys / 1_000}k`
    const seconds = (mode: Mode) => runs[mode].map((r) => r.ms / 1000)
    const store = caseResult(`${label} keys: restore into the store`, 's', seconds('store'))
    const floor = caseResult(`${label} keys: read only, no store (floor)`, 's', seconds('scan'))
    const small = caseResult(`${label} keys: read only, 1 MiB fetches`, 's', seconds('scan-1mib'))
    cases.push(
      store,
      floor,
      small,
      caseResult(
        `${label} keys: restore rate`,
        'keys/s',
        runs.store.map((r) => keys / (r.ms / 1000)),
      ),
      caseResult(
        `${label} keys: store heap retained per key`,
        'B/key',
        runs.store.map((r) => r.retainedHeapBytes / keys),
      ),
      caseResult(
        `${label} keys: store peak RSS growth`,
        'MiB',
        runs.store.map((r) => r.peakRssDeltaBytes / 2 ** 20),
      ),
      caseResult(
        `${label} keys: floor peak RSS growth`,
        'MiB',
        runs.scan.map((r) => r.peakRssDeltaBytes / 2 ** 20),
      ),
    )
    ratios.push(
      ratio(`${label}: floor / store time (share of the restore that is the read)`, floor, store),
      ratio(`${label}: 1 MiB fetches / 16 MiB fetches (read only)`, small, floor),
    )
    if (keys >= 1_000_000) {
      const goal = caseResult(`goal: ${goalSeconds} s`, 's', Array(rounds).fill(goalSeconds))
      ratios.push(ratio(`${label}: ${goalSeconds} s goal / restore time`, goal, store, 1))
    }
    notes.push(
      `${label}: ${keys} distinct keys in one partition, ${Math.round(bytes / 2 ** 20)} MiB of keys and values (${Math.round(bytes / keys)} B/record), JSON values shaped like the ledger's postedEntry; ${rounds} rounds, modes alternating, each restore in a fresh process`,
    )
  }
} finally {
  await deleteBenchTopics(kafka, topics)
}
emitResult({ bench: 'state-restore', cases, ratios, notes })
