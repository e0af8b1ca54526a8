import { cpus, loadavg, totalmem } from 'node:os'
import type { BenchResult, CaseResult, RatioResult } from './stats.ts'

/** The machine, with its load when the bench started: these machines are shared. */
export function machine(): BenchResult['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: Number(loadavg()[0]!.toFixed(1)),
  }
}

// Taken when a bench imports this module, i.e. as it starts.
const atStart = { startedAt: new Date().toISOString(), machine: machine() }

const fmt = (value: number) =>
  Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 3)

/** A human table on stderr; stdout stays machine-readable. */
export function printTable(result: BenchResult): void {
  const lines = [`\n${result.bench}`]
  for (const c of result.cases as CaseResult[]) {
    lines.push(
      `  ${c.name.padEnd(48)} ${fmt(c.median).padStart(12)} ${c.unit}  (min ${fmt(c.min)}, max ${fmt(c.max)})`,
    )
  }
  for (const r of result.ratios as RatioResult[]) {
    const goal = r.goal === undefined ? '' : `  goal ≥ ${r.goal} ${r.met ? 'met' : 'NOT met'}`
    lines.push(
      `  ratio ${r.name.padEnd(42)} ${r.median.toFixed(2).padStart(12)}x  (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})${goal}`,
    )
  }
  process.stderr.write(`${lines.join('\n')}\n`)
}

/** Prints the result as one JSON line on stdout and the table on stderr. */
export function emitResult(
  result: Omit<BenchResult, 'machine' | 'startedAt'> & { startedAt?: string },
): void {
  const full: BenchResult = { ...atStart, ...result }
  process.stdout.write(`${JSON.stringify(full)}\n`)
  printTable(full)
}
