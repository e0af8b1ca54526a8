/**
 * `npm run bench [-- name ...]`: runs every benchmarks/<name>.bench.ts (or the named ones) one after
 * another against one Kafka broker started here, collects each one's JSON result line, writes them
 * into benchmarks/results/latest.json (a named run replaces only its benches' results) and
 * regenerates docs/benchmarks.md from it.
 * `BENCH_SMOKE=1` makes every benchmark run a tiny size (CI uses it so they cannot rot).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { provideKafka, silenceKafkajsTimeoutWarning } from '#libs/kafka-local'
import { mergeResults } from '../chaos/lib/merge.ts'
import { cpuProfileFlags } from './lib/env.ts'
import { renderBenchmarksDoc } from './lib/render-doc.ts'
import type { BenchOutcome, BenchResult, RunOutput } from './lib/stats.ts'

silenceKafkajsTimeoutWarning()
const here = new URL('.', import.meta.url).pathname
const smoke = process.env['BENCH_SMOKE'] === '1'
const perBenchTimeoutMs = smoke ? 5 * 60_000 : 15 * 60_000

const requested = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .filter((name) => requested.length === 0 || requested.includes(name))
  .sort()

function runBench(name: string, env: NodeJS.ProcessEnv): Promise<BenchOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...cpuProfileFlags(env), join(here, `${name}.bench.ts`)], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), perBenchTimeoutMs)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').at(-1)
      try {
        if (code === 0 && last) return resolve(JSON.parse(last) as BenchResult)
      } catch {
        // fall through
      }
      resolve({ bench: name, error: `exited ${signal ?? code}` })
    })
  })
}

const kafka = await provideKafka()
process.stderr.write(
  `[bench] Kafka (${kafka.source}) at ${kafka.brokers.join(',')}${smoke ? ' (smoke)' : ''}\n`,
)
const env = {
  ...process.env,
  KAFKA_BROKERS: kafka.brokers.join(','),
  NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --disable-warning=TimeoutNegativeWarning`.trim(),
}
const runStarted = Date.now()
const results: BenchOutcome[] = []
try {
  for (const name of benches) {
    const started = Date.now()
    process.stderr.write(`[bench] ${name}...\n`)
    const result = await runBench(name, env)
    const seconds = Math.round((Date.now() - started) / 1000)
    process.stderr.write(`[bench] ${name} done in ${seconds} s\n`)
    results.push({ ...result, seconds })
  }
} finally {
  await kafka.stop()
}

const failed = results.filter((result) => 'error' in result)
const output: RunOutput = {
  generatedAt: new Date().toISOString(),
  smoke,
  command: `${smoke ? 'BENCH_SMOKE=1 ' : ''}npm run bench${requested.length > 0 ? ` -- ${requested.join(' ')}` : ''}`,
  kafka: kafka.source,
  seconds: Math.round((Date.now() - runStarted) / 1000),
  results,
}
process.stdout.write(`${JSON.stringify(output)}\n`)
if (!smoke) {
  const json = join(here, 'results', 'latest.json')
  const doc = join(here, '..', 'docs', 'benchmarks.md')
  // Benches not run this time keep their last result (each result carries its own startedAt).
  const previous = existsSync(json) ? (JSON.parse(await readFile(json, 'utf8')) as RunOutput) : undefined
  const merged: RunOutput = {
    ...output,
    results: mergeResults(previous?.results ?? [], results, benches, (result) => result.bench),
  }
  await writeFile(json, `${JSON.stringify(merged, null, 2)}\n`)
  await writeFile(doc, renderBenchmarksDoc(merged))
  // Both are checked in and Biome formats JSON and Markdown (aligned tables): they must pass `biome ci`.
  const biome = join(here, '..', 'node_modules', '.bin', 'biome')
  spawnSync(biome, ['format', '--write', json, doc], { stdio: 'ignore' })
}
for (const failure of failed)
  process.stderr.write(`[bench] ${failure.bench} FAILED: ${'error' in failure ? failure.error : ''}\n`)
process.exit(failed.length > 0 ? 1 : 0)
