/**
 * The shared shape of every benchmark's result. Each figure is measured over several rounds and
 * reported as min/median/max; ratios pair a case with a baseline measured in the same process or
 * script on the same broker, round by round, because these machines are shared and noisy.
 */
export interface Summary {
  readonly min: number
  readonly median: number
  readonly max: number
  readonly runs: readonly number[]
}

export interface CaseResult extends Summary {
  readonly name: string
  readonly unit: string
}

export interface RatioResult extends Summary {
  readonly name: string
  readonly numerator: string
  readonly denominator: string
  /** The goal for the median ratio, when it names one. */
  readonly goal?: number
  readonly met?: boolean
}

export interface BenchResult {
  readonly bench: string
  readonly startedAt: string
  readonly machine: {
    readonly cpus: number
    readonly cpuModel?: string
    readonly memoryGiB: number
    readonly node: string
    /** The 1-minute load average when the bench started. */
    readonly loadAverage?: number
  }
  readonly cases: readonly CaseResult[]
  readonly ratios: readonly RatioResult[]
  readonly notes?: readonly string[]
  /** Wall time of the whole bench process, added by the runner. */
  readonly seconds?: number
}

export type BenchOutcome =
  | BenchResult
  | { readonly bench: string; readonly error: string; readonly seconds?: number }

/** What `npm run bench` prints as its last line and keeps in benchmarks/results/latest.json. */
export interface RunOutput {
  readonly generatedAt: string
  readonly smoke: boolean
  readonly command: string
  /** Where the broker came from: local (the pinned jars), container or external (KAFKA_BROKERS). */
  readonly kafka: string
  readonly seconds: number
  readonly results: readonly BenchOutcome[]
}

export function summarize(runs: readonly number[]): Summary {
  if (runs.length === 0) throw new Error('no runs to summarize')
  const sorted = [...runs].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { min: sorted[0]!, median, max: sorted.at(-1)!, runs }
}

/** Ratios computed per round (numerator round i / denominator round i), then summarized. */
export function ratio(
  name: string,
  numerator: CaseResult,
  denominator: CaseResult,
  goal?: number,
): RatioResult {
  const rounds = Math.min(numerator.runs.length, denominator.runs.length)
  const perRound = Array.from({ length: rounds }, (_, i) => numerator.runs[i]! / denominator.runs[i]!)
  const summary = summarize(perRound)
  return {
    name,
    numerator: numerator.name,
    denominator: denominator.name,
    ...summary,
    ...(goal === undefined ? {} : { goal, met: summary.median >= goal }),
  }
}

export function caseResult(name: string, unit: string, runs: readonly number[]): CaseResult {
  return { name, unit, ...summarize(runs) }
}

/** The q-quantile (0..1) of the values, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('no values')
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? sorted[0]!
}
