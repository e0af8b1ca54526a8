import { cpus, loadavg, totalmem } from 'node:os'

export const Verdict = { pass: 'pass', fail: 'fail' } as const
export type Verdict = (typeof Verdict)[keyof typeof Verdict]

/** What one scenario hands the runner: its verdict and the figures that justify it. */
export interface ScenarioResult {
  readonly scenario: string
  readonly verdict: Verdict
  /** Why it failed, in words (empty when it passed). */
  readonly problems: readonly string[]
  readonly figures: Readonly<Record<string, number | string | boolean>>
  readonly seconds?: number
  /** When and by which command this result was measured (results of several runs are merged). */
  readonly at?: string
  readonly command?: string
}

export const smoke = process.env['CHAOS_SMOKE'] === '1'

/**
 * Scenarios on a 3-node cluster of their own (three JVMs): too heavy for the every-scenario smoke
 * run, which leaves them out unless they are named. CI runs broker-failover's smoke alone
 * (test/e2e/broker-failover-cluster.test.ts).
 */
export const clusterScenarios: readonly string[] = ['broker-failover', 'rolling-restart', 'scale-out-in']

/** Scenario files print their result as the last stdout line; progress goes to stderr. */
export function report(result: Omit<ScenarioResult, 'verdict'>): void {
  const verdict = result.problems.length === 0 ? Verdict.pass : Verdict.fail
  process.stdout.write(`${JSON.stringify({ ...result, verdict })}\n`)
}

export function say(scenario: string, line: string): void {
  process.stderr.write(`[chaos:${scenario}] ${line}\n`)
}

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAvg1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  }
}

export function randomBetween(min: number, max: number): number {
  return min + Math.random() * (max - min)
}
