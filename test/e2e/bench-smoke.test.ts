// Proves every benchmark still runs: `npm run bench` at smoke size on the suite's broker yields a result in the shared shape for each bench and leaves the published figures alone.
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import type { BenchResult, RunOutput, Summary } from '../../benchmarks/lib/stats.ts'
import { runSuiteScript, snapshotFiles } from '../helpers/suite-run.ts'

const root = new URL('../../', import.meta.url).pathname
const snapshot = () => snapshotFiles(['benchmarks/results/latest.json', 'docs/benchmarks.md'])

function assertSummary(summary: Summary, what: string): void {
  assert.ok(summary.runs.length > 0, `${what} has runs`)
  for (const value of [summary.min, summary.median, summary.max, ...summary.runs])
    assert.ok(Number.isFinite(value), `${what}: ${value} is a finite number`)
  assert.ok(summary.min <= summary.median && summary.median <= summary.max, `${what}: min ≤ median ≤ max`)
}

test('every benchmark produces a result in the shared shape at smoke size, without overwriting the published figures', async () => {
  const before = snapshot()
  const { code, stdout, stderr } = await runSuiteScript('benchmarks/run.ts', { BENCH_SMOKE: '1' }, 170_000)
  assert.equal(code, 0, `the smoke run failed:\n${stderr.slice(-3000)}`)

  const output = JSON.parse(stdout.trim().split('\n').at(-1)!) as RunOutput
  assert.equal(output.smoke, true)
  const benches = readdirSync(join(root, 'benchmarks'))
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.replace(/\.bench\.ts$/, ''))
    .sort()
  assert.deepEqual(
    output.results.map((result) => result.bench),
    benches,
  )
  for (const outcome of output.results) {
    assert.ok(!('error' in outcome), `${outcome.bench} failed: ${'error' in outcome ? outcome.error : ''}`)
    const result = outcome as BenchResult
    assert.ok(result.cases.length > 0, `${result.bench} reports cases`)
    for (const c of result.cases) {
      assert.ok(c.name && c.unit, `${result.bench}: a case has a name and a unit`)
      assertSummary(c, `${result.bench} ${c.name}`)
    }
    for (const r of result.ratios) assertSummary(r, `${result.bench} ratio ${r.name}`)
    assert.ok(result.machine.cpus > 0 && result.machine.node, `${result.bench} names its machine`)
  }
  assert.deepEqual(snapshot(), before, 'a smoke run leaves latest.json and docs/benchmarks.md as they were')
})
