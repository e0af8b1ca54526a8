import { PolicyValidationError } from '@event-backbone/errors'
import { toMilliseconds } from './duration.ts'
import { defaultPolicy, Guarantee, Ordering, type PolicyInput, type ResolvedPolicy } from './types.ts'

/** Bounds that keep a policy sane: a week is the longest delay a retry topic can hold a record. */
export const policyLimits = {
  maxAttempts: 100,
  maxDelayMs: 7 * 24 * 3_600_000,
  maxInProcessDelayMs: 60_000,
  maxTiers: 20,
  maxConcurrency: 1_000,
  maxInFlight: 10_000,
  maxHandlerTimeoutMs: 15 * 60_000,
} as const

type Problems = string[]

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function unknownKeys(problems: Problems, path: string, value: Record<string, unknown>, known: string[]) {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      problems.push(`${path}.${key} is not a known field (known: ${known.join(', ')})`)
  }
}

function wholeNumber(problems: Problems, path: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${path} needs to be a whole number ≥ ${min} and ≤ ${max}, got ${show(value)}`)
  }
}

function realNumber(problems: Problems, path: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    problems.push(`${path} needs to be a number ≥ ${min} and ≤ ${max}, got ${show(value)}`)
  }
}

function duration(problems: Problems, path: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return
  const ms = toMilliseconds(value)
  if (ms === undefined || !Number.isInteger(ms) || ms < min || ms > max) {
    problems.push(
      `${path} needs to be a duration between ${min} ms and ${max} ms (a number of ms or "250ms", "5s", "1m", "1h"), got ${show(value)}`,
    )
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40))
  if (typeof value === 'bigint') return `${value}n`
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : String(value)
}

/** Checks one policy object (defaults or an override) and pushes one human message per problem. */
export function checkPolicy(problems: Problems, path: string, policy: unknown): void {
  if (policy === undefined) return
  if (!isObject(policy)) {
    problems.push(`${path} needs to be an object, got ${show(policy)}`)
    return
  }
  unknownKeys(problems, path, policy, [
    'retry',
    'retryTopics',
    'deadLetter',
    'guarantee',
    'concurrency',
    'ordering',
    'maxInFlight',
    'maxInFlightPerPartition',
    'handlerTimeout',
    'maxRecordAge',
  ])
  const retry = policy['retry']
  if (retry !== undefined) {
    if (!isObject(retry)) problems.push(`${path}.retry needs to be an object, got ${show(retry)}`)
    else {
      unknownKeys(problems, `${path}.retry`, retry, [
        'attempts',
        'initialDelay',
        'multiplier',
        'maxDelay',
        'jitter',
      ])
      wholeNumber(problems, `${path}.retry.attempts`, retry['attempts'], 0, policyLimits.maxAttempts)
      duration(
        problems,
        `${path}.retry.initialDelay`,
        retry['initialDelay'],
        0,
        policyLimits.maxInProcessDelayMs,
      )
      duration(problems, `${path}.retry.maxDelay`, retry['maxDelay'], 0, policyLimits.maxInProcessDelayMs)
      realNumber(problems, `${path}.retry.multiplier`, retry['multiplier'], 1, 100)
      realNumber(problems, `${path}.retry.jitter`, retry['jitter'], 0, 1)
    }
  }
  const tiers = policy['retryTopics']
  if (tiers !== undefined) {
    if (!Array.isArray(tiers))
      problems.push(`${path}.retryTopics needs to be an array of durations, got ${show(tiers)}`)
    else {
      if (tiers.length > policyLimits.maxTiers) {
        problems.push(
          `${path}.retryTopics may have at most ${policyLimits.maxTiers} tiers, got ${tiers.length}`,
        )
      }
      tiers.forEach((tier, i) => {
        duration(problems, `${path}.retryTopics[${i}]`, tier, 1, policyLimits.maxDelayMs)
      })
    }
  }
  const deadLetter = policy['deadLetter']
  if (deadLetter !== undefined && typeof deadLetter !== 'boolean') {
    problems.push(`${path}.deadLetter needs to be true or false, got ${show(deadLetter)}`)
  }
  const guarantee = policy['guarantee']
  const guarantees = Object.values(Guarantee) as unknown[]
  if (guarantee !== undefined && !guarantees.includes(guarantee)) {
    problems.push(`${path}.guarantee needs to be "at-least-once" or "exactly-once", got ${show(guarantee)}`)
  }
  wholeNumber(problems, `${path}.concurrency`, policy['concurrency'], 1, policyLimits.maxConcurrency)
  const ordering = policy['ordering']
  const orderings = Object.values(Ordering) as unknown[]
  if (ordering !== undefined && !orderings.includes(ordering)) {
    problems.push(`${path}.ordering needs to be "partition", "key" or "none", got ${show(ordering)}`)
  }
  wholeNumber(problems, `${path}.maxInFlight`, policy['maxInFlight'], 1, policyLimits.maxInFlight)
  wholeNumber(
    problems,
    `${path}.maxInFlightPerPartition`,
    policy['maxInFlightPerPartition'],
    1,
    policyLimits.maxInFlight,
  )
  duration(problems, `${path}.handlerTimeout`, policy['handlerTimeout'], 0, policyLimits.maxHandlerTimeoutMs)
  duration(problems, `${path}.maxRecordAge`, policy['maxRecordAge'], 0, policyLimits.maxDelayMs * 52)
  const perPartition = policy['maxInFlightPerPartition']
  const total = policy['maxInFlight']
  if (typeof perPartition === 'number' && typeof total === 'number' && perPartition > total) {
    problems.push(
      `${path}.maxInFlightPerPartition (${perPartition}) cannot be larger than ${path}.maxInFlight (${total}): the subscription's bound would always be reached first`,
    )
  }
}

/** Defaults, then group defaults, then the subscription's overrides; `retry` merges field by field. */
export function resolvePolicy(defaults: PolicyInput = {}, override: PolicyInput = {}): ResolvedPolicy {
  const retry = { ...defaultPolicy.retry, ...defaults.retry, ...override.retry }
  const tiers = override.retryTopics ?? defaults.retryTopics ?? defaultPolicy.retryTopics
  const maxInFlight = override.maxInFlight ?? defaults.maxInFlight ?? defaultPolicy.maxInFlight
  const handlerTimeout = override.handlerTimeout ?? defaults.handlerTimeout ?? defaultPolicy.handlerTimeout
  const maxRecordAge = override.maxRecordAge ?? defaults.maxRecordAge ?? defaultPolicy.maxRecordAge
  return {
    retry: {
      attempts: retry.attempts,
      initialDelayMs: toMilliseconds(retry.initialDelay)!,
      multiplier: retry.multiplier,
      maxDelayMs: toMilliseconds(retry.maxDelay)!,
      jitter: retry.jitter,
    },
    retryTopicsMs: tiers.map((tier) => toMilliseconds(tier)!),
    deadLetter: override.deadLetter ?? defaults.deadLetter ?? defaultPolicy.deadLetter,
    guarantee: override.guarantee ?? defaults.guarantee ?? defaultPolicy.guarantee,
    concurrency: override.concurrency ?? defaults.concurrency ?? defaultPolicy.concurrency,
    ordering: override.ordering ?? defaults.ordering ?? defaultPolicy.ordering,
    maxInFlight,
    maxInFlightPerPartition: Math.min(
      maxInFlight,
      override.maxInFlightPerPartition ?? defaults.maxInFlightPerPartition ?? maxInFlight,
    ),
    handlerTimeoutMs: toMilliseconds(handlerTimeout)!,
    maxRecordAgeMs: toMilliseconds(maxRecordAge)!,
  }
}

/** Throws one PolicyValidationError listing every problem, or returns nothing. */
export function throwIfProblems(problems: Problems, what: string): void {
  if (problems.length === 0) return
  throw new PolicyValidationError(`${what} is invalid:\n  - ${problems.join('\n  - ')}`, {
    context: { problems: [...problems] },
  })
}
