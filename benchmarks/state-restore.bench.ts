/**
 * Restore of one changelog partition of the ledger's dedupe store at 100k and 1M keys: time, peak
 * RSS and retained heap per key, against the same read with no store (the floor: fence, one-
 * partition group, 1 MiB fetches, kafkajs's decode) and the same read at 16 MiB fetches.
 * Each restore runs alone in a fresh process (state-restore-worker.ts), so its memory is its own;
 * modes alternate round by round.
 *
 *   npm run bench -- state-restore      BENCH_RESTORE_KEYS=100000,1000000 (default), BENCH_ROUNDS=2,
 *   BENCH_RESTORE_MODES=scan,scan-16384,store (default), BENCH_PROFILE=<dir> (CPU profiles)
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { APPLIED_KEY, changelogTopicSpec, restoreFetchBytes } from '#libs/state'
import { benchKafka, benchName, deleteBenchTopics, smoke } from './lib/env.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, type RatioResult, ratio } from './lib/stats.ts'

const sizes = (process.env['BENCH_RESTORE_KEYS'] ?? (smoke ? '2000' : '100000,1000000'))
  .split(',')
  .map(Number)
const rounds = Number(process.env['BENCH_ROUNDS'] ?? (smoke ? 1 : 2))
const modes = (process.env['BENCH_RESTORE_MODES'] ?? (smoke ? 'scan,store' : 'scan,scan-16384,store')).split(
  ',',
)
type Mode = string
const goalSeconds = 10
const horizonMs = 30 * 86_400_000
const profileDir = process.env['BENCH_PROFILE']

interface WorkerResult {
  readonly keys: number
  readonly ms: number
  readonly cpuMs: number
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
  await producer.send({
    topic,
    acks: -1,
    messages: [{ key: APPLIED_KEY, value: String(keys), partition: 0 }],
  })
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
      [
        '--expose-gc',
        // BENCH_PROFILE=<dir> writes a CPU profile of every restore (how the optimisations were found).
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        new URL('./state-restore-worker.ts', import.meta.url).pathname,
        mode,
        topic,
      ],
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
    const runs = new Map<Mode, WorkerResult[]>(modes.map((mode) => [mode, []]))
    for (let round = 0; round < rounds; round++) {
      for (const mode of modes) {
        const result = await runWorker(mode, topic)
        if (result.keys < keys) throw new Error(`${mode} restored ${result.keys} of ${keys} keys`)
        runs.get(mode)!.push(result)
        process.stderr.write(`[state-restore] ${keys} keys, ${mode}: ${(result.ms / 1000).toFixed(2)} s\n`)
      }
    }
    const label = keys >= 1_000_000 ? `${keys / 1_000_000}M` : `${keys / 1_000}k`
    const of = (mode: Mode) => runs.get(mode) ?? []
    const timeCase = (mode: Mode) => {
      const what =
        mode === 'store'
          ? 'restore into the store'
          : mode === 'scan'
            ? 'read only, no store (floor)'
            : `read only, ${Number(mode.slice(5)) / 1024} MiB fetches`
      return caseResult(
        `${label} keys: ${what}`,
        's',
        of(mode).map((r) => r.ms / 1000),
      )
    }
    const timed = new Map(modes.map((mode) => [mode, timeCase(mode)]))
    cases.push(...timed.values())
    const cpuCase = (mode: Mode, what: string) =>
      caseResult(
        `${label} keys: ${what}, CPU of the restoring process`,
        's',
        of(mode).map((r) => r.cpuMs / 1000),
      )
    const storeCpu = modes.includes('store') ? cpuCase('store', 'restore into the store') : undefined
    const floorCpu = modes.includes('scan') ? cpuCase('scan', 'read only') : undefined
    cases.push(...[storeCpu, floorCpu].filter((c) => c !== undefined))
    if (storeCpu && floorCpu) ratios.push(ratio(`${label}: floor / store CPU`, floorCpu, storeCpu))
    const store = timed.get('store')
    const floor = timed.get('scan')
    if (store) {
      cases.push(
        caseResult(
          `${label} keys: restore rate`,
          'keys/s',
          of('store').map((r) => keys / (r.ms / 1000)),
        ),
        caseResult(
          `${label} keys: store heap retained per key`,
          'B/key',
          of('store').map((r) => r.retainedHeapBytes / keys),
        ),
        caseResult(
          `${label} keys: store peak RSS growth`,
          'MiB',
          of('store').map((r) => r.peakRssDeltaBytes / 2 ** 20),
        ),
      )
    }
    if (floor) {
      cases.push(
        caseResult(
          `${label} keys: floor peak RSS growth`,
          'MiB',
          of('scan').map((r) => r.peakRssDeltaBytes / 2 ** 20),
        ),
      )
      if (store)
        ratios.push(
          ratio(`${label}: floor / store time (share of the restore that is the read)`, floor, store),
        )
      for (const [mode, other] of timed) {
        if (mode.startsWith('scan-'))
          ratios.push(
            ratio(
              `${label}: ${other.name.split(', ')[1]} / ${restoreFetchBytes / 2 ** 20} MiB fetches (read only)`,
              other,
              floor,
            ),
          )
      }
    }
    if (store && keys >= 1_000_000) {
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
notes.push(
  'What limits each figure:',
  'restore time: the read (the floor) is kafkajs fetching and decoding every record on one thread (a Buffer per key and value, string offsets and timestamps) with no overlap between one fetch and the next; the broker shares the same 2 cores; load average at start is in the machine line',
  'store over floor: per record a utf8 key string, a latin1 copy of the value (decoded only when a handler reads the key), an insert into the values Map and into the write-time Map, and the garbage collector moving every one of them (all survive)',
  'heap per key: the key string (36-char id), the value bytes as a one-byte string (JSON field names are half of it: a binary codec would roughly halve it), a Map entry in the values and in the write times',
  'peak RSS: the retained heap plus the fetched responses and kafkajs per-record objects not yet collected, and the new-space headroom V8 grows into',
  'wall time vs CPU: the restoring process itself spends the CPU figures; the rest of the wall time is waiting for fetch answers from a broker that shares the 2 cores (and, on a busy machine, for a core)',
  '1 MiB vs 16 MiB fetches: larger fetches are no faster (kafkajs decodes a whole response before handing it over, so fewer round trips buy nothing): restores use 1 MiB',
  'a real changelog also holds superseded values, the applied mark per transaction and expired records until retention drops their segment; each costs the read, not memory',
)
emitResult({ bench: 'state-restore', cases, ratios, notes })
