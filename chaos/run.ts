/**
 * `npm run chaos [-- name ...]`: runs every chaos/<name>.chaos.ts (or the named ones) one after
 * another, each in its own process with its own broker(s) and services on loopback, bounded in time.
 * Prints a table and the verdict line `chaos: N passed, M failed`, exits 1 on any failure.
 * A full-size run writes its scenarios' results into chaos/results/latest.json (results of other
 * scenarios are kept, each with when and how it was measured) and regenerates docs/reliability.md.
 * `CHAOS_SMOKE=1` makes every scenario tiny (CI), leaves the cluster scenarios out unless named,
 * and writes nothing.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { mergeResults } from './lib/merge.ts'
import { type ChaosRun, renderReliabilityDoc } from './lib/render-doc.ts'
import { clusterScenarios, machine, type ScenarioResult, smoke } from './lib/scenario.ts'

const here = new URL('.', import.meta.url).pathname
// A cluster scenario starts three JVMs on two cores before its stream begins.
const timeoutMs = (name: string) =>
  clusterScenarios.includes(name) ? (smoke ? 240_000 : 12 * 60_000) : smoke ? 120_000 : 8 * 60_000

const requested = process.argv.slice(2)
const scenarios = readdirSync(here)
  .filter((file) => file.endsWith('.chaos.ts'))
  .map((file) => file.replace(/\.chaos\.ts$/, ''))
  .filter((name) =>
    requested.length > 0 ? requested.includes(name) : !(smoke && clusterScenarios.includes(name)),
  )
  .sort()
const unknown = requested.filter((name) => !scenarios.includes(name))
if (unknown.length > 0) {
  process.stderr.write(`no chaos scenario named ${unknown.join(', ')}\n`)
  process.exit(2)
}

function runScenario(name: string): Promise<ScenarioResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, `${name}.chaos.ts`)], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    // The scenario's brokers and services are on its lifeline: they stop when it is killed.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs(name))
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').at(-1)
      try {
        if (last) return resolve(JSON.parse(last) as ScenarioResult)
      } catch {
        // fall through
      }
      resolve({
        scenario: name,
        verdict: 'fail',
        problems: [`exited ${signal ?? code} without a result${signal === 'SIGKILL' ? ' (time bound)' : ''}`],
        figures: {},
      })
    })
  })
}

const runStarted = Date.now()
const before = machine()
const command = `${smoke ? 'CHAOS_SMOKE=1 ' : ''}npm run chaos${requested.length > 0 ? ` -- ${requested.join(' ')}` : ''}`
const results: ScenarioResult[] = []
for (const name of scenarios) {
  const started = Date.now()
  process.stderr.write(`[chaos] ${name}...\n`)
  const result = await runScenario(name)
  results.push({
    ...result,
    seconds: Math.round((Date.now() - started) / 1000),
    at: new Date().toISOString(),
    command,
  })
}

const failed = results.filter((result) => result.verdict !== 'pass')
const json = join(here, 'results', 'latest.json')
const previous =
  !smoke && existsSync(json) ? (JSON.parse(await readFile(json, 'utf8')) as ChaosRun) : undefined
const earlier = previous?.results ?? []
const output: ChaosRun = {
  generatedAt: new Date().toISOString(),
  smoke,
  command,
  machine: { ...before, loadAvg1mAfter: machine().loadAvg1m },
  seconds: Math.round((Date.now() - runStarted) / 1000),
  // Scenarios not run this time keep their last result, marked with when and how it was measured.
  results: mergeResults(
    earlier,
    results,
    scenarios,
    (result) => result.scenario,
    (result) => ({
      ...result,
      at: result.at ?? previous?.generatedAt,
      command: result.command ?? previous?.command,
    }),
  ),
}

for (const result of results) {
  const figures = Object.entries(result.figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')
  process.stdout.write(
    `${result.verdict.toUpperCase().padEnd(4)}  ${result.scenario.padEnd(28)} ${String(result.seconds ?? '?').padStart(4)} s  ${figures}\n`,
  )
  for (const problem of result.problems) process.stdout.write(`      ! ${problem}\n`)
}
if (!smoke) {
  const doc = join(here, '..', 'docs', 'reliability.md')
  await writeFile(json, `${JSON.stringify(output, null, 2)}\n`)
  await writeFile(doc, renderReliabilityDoc(output))
  // Both are checked in and Biome formats JSON and Markdown: they must pass `biome ci`.
  const biome = join(here, '..', 'node_modules', '.bin', 'biome')
  spawnSync(biome, ['format', '--write', json, doc], { stdio: 'ignore' })
}
process.stdout.write(`chaos: ${results.length - failed.length} passed, ${failed.length} failed\n`)
process.exit(failed.length > 0 ? 1 : 0)
