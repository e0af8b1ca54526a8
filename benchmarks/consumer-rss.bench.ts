/**
 * Memory of a consumer service over a steady stream: a runtime group (at-least-once, `onEvent`
 * with the real Avro decode over the embedded registry) and, as the baseline, a raw kafkajs
 * eachBatch consumer with the same decode, each in its own process, side by side on the same
 * topic for the same minutes while this process publishes payments at a steady rate. Each samples
 * its RSS every second: peak, at the settle point (1 min), at the end, and the growth in between.
 *
 *   npm run bench -- consumer-rss     BENCH_SECONDS (default 300), BENCH_RATE (default 1000 events/s)
 */
import { spawn } from 'node:child_process'
import type { EventTypeMap } from '@event-backbone/catalog'
import { createPublisher } from '#libs/publisher'
import { benchKafka, benchName, createBenchTopic, deleteBenchTopics, smoke } from './lib/env.ts'
import { benchPayment, catalogEncoderOn, startBenchRegistry, steadily } from './lib/events.ts'
import { emitResult } from './lib/report.ts'
import { type CaseResult, caseResult, ratio } from './lib/stats.ts'

const seconds = Number(process.env['BENCH_SECONDS'] ?? (smoke ? 10 : 300))
const settleSeconds = smoke ? 5 : 60
const perSecond = Number(process.env['BENCH_RATE'] ?? (smoke ? 200 : 1_000))
const modes = ['runtime', 'raw'] as const
type Mode = (typeof modes)[number]

interface WorkerResult {
  readonly rssMb: readonly number[]
  readonly peakRssMb: number
  readonly consumed: number
  readonly consumedPerSecond: number
}

function worker(mode: Mode, topic: string, registryUrl: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        new URL('./consumer-rss-worker.ts', import.meta.url).pathname,
        mode,
        topic,
        registryUrl,
        String(seconds),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) reject(new Error(`${mode} worker exited with ${code}`))
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult)
    })
  })
}

const kafka = benchKafka()
const registry = await startBenchRegistry()
const topic = benchName('bench-rss')
await createBenchTopic(kafka, topic)
const publisher = createPublisher<EventTypeMap>({ kafka, encoder: catalogEncoderOn(registry.serde, topic) })
try {
  await publisher.publish('PaymentConfirmed', benchPayment()) // registers the schema before the workers look it up
  let running = true
  const workers = Promise.all(modes.map((mode) => worker(mode, topic, registry.url))).finally(() => {
    running = false
  })
  let published = 1
  while (running) {
    await steadily(perSecond, perSecond, () => publisher.publish('PaymentConfirmed', benchPayment()))
    published += perSecond
  }
  const [runtime, raw] = await workers
  const cases: CaseResult[] = []
  const peaks = new Map<Mode, CaseResult>()
  for (const [mode, result] of [
    ['runtime', runtime!],
    ['raw', raw!],
  ] as const) {
    const name = mode === 'runtime' ? 'runtime at-least-once' : 'raw kafkajs eachBatch'
    const settled = result.rssMb[settleSeconds - 1]!
    const end = result.rssMb.at(-1)!
    const peak = caseResult(`${name} peak RSS`, 'MB', [Math.max(result.peakRssMb, ...result.rssMb)])
    peaks.set(mode, peak)
    cases.push(
      peak,
      caseResult(`${name} RSS at ${settleSeconds} s`, 'MB', [settled]),
      caseResult(`${name} RSS at end (${seconds} s)`, 'MB', [end]),
      caseResult(`${name} RSS growth after ${settleSeconds} s`, 'MB', [end - settled]),
      caseResult(`${name} RSS growth after ${settleSeconds} s`, '%', [((end - settled) / settled) * 100]),
      caseResult(`${name} consumed`, 'records/s', [result.consumedPerSecond]),
    )
  }
  emitResult({
    bench: 'consumer-rss',
    cases,
    ratios: [ratio('runtime / raw kafkajs peak RSS', peaks.get('runtime')!, peaks.get('raw')!)],
    notes: [
      `one run of ${seconds} s (the budget allows one): both consumers in their own processes on the same topic at the same time, ${perSecond} payments/s published (${published} in all), 3 partitions`,
      `RSS sampled every second; growth is from ${settleSeconds} s to the end, after start-up and JIT have settled`,
    ],
  })
} finally {
  await publisher.close()
  await deleteBenchTopics(kafka, [topic])
  await registry.close()
}
