import { PublisherConfigError } from '@event-backbone/errors'
import type { PublisherOptions } from './types.ts'

export const PUBLISHER_DEFAULTS = {
  clientId: 'event-backbone-publisher',
  lingerMs: 5,
  maxBatchRecords: 1000,
  // Below the broker's default max.message.bytes (1 MiB) so a one-partition batch always fits.
  maxBatchBytes: 512 * 1024,
  maxBufferedRecords: 20_000,
  maxBufferedBytes: 32 * 1024 * 1024,
  maxBlockMs: 60_000,
  ackTimeoutMs: 30_000,
} as const

export interface ResolvedLimits {
  readonly lingerMs: number
  readonly maxBatchRecords: number
  readonly maxBatchBytes: number
  readonly maxBufferedRecords: number
  readonly maxBufferedBytes: number
  readonly maxBlockMs: number
  readonly ackTimeoutMs: number
}

type Rule = { min: number; max?: number; integer: boolean; infinite?: boolean }

const RULES: Record<keyof ResolvedLimits, Rule> = {
  lingerMs: { min: 0, max: 60_000, integer: false },
  maxBatchRecords: { min: 1, integer: true },
  maxBatchBytes: { min: 1, integer: true },
  maxBufferedRecords: { min: 1, integer: true },
  maxBufferedBytes: { min: 1, integer: true },
  maxBlockMs: { min: 0, integer: false, infinite: true },
  ackTimeoutMs: { min: 1, integer: true },
}

function check(name: string, value: unknown, rule: Rule): number {
  const fail = (why: string): never => {
    throw new PublisherConfigError(`${name} ${why}, got ${String(value)}`, { context: { option: name } })
  }
  if (typeof value !== 'number' || Number.isNaN(value)) return fail('needs to be a number')
  if (value === Number.POSITIVE_INFINITY && rule.infinite) return value
  if (!Number.isFinite(value)) return fail('needs to be finite')
  if (rule.integer && !Number.isInteger(value)) return fail('needs to be an integer')
  if (value < rule.min) return fail(`needs to be equal or bigger than ${rule.min}`)
  if (rule.max !== undefined && value > rule.max) return fail(`needs to be equal or smaller than ${rule.max}`)
  return value
}

/** Defaults, then the caller's values, each validated with a message that names the option. */
export function resolveLimits(options: PublisherOptions<object>): ResolvedLimits {
  const resolved: Record<string, number> = {}
  for (const [name, rule] of Object.entries(RULES) as Array<[keyof ResolvedLimits, Rule]>) {
    resolved[name] = check(name, options[name] ?? PUBLISHER_DEFAULTS[name], rule)
  }
  const limits = resolved as unknown as ResolvedLimits
  if (limits.maxBatchRecords > limits.maxBufferedRecords) {
    throw new PublisherConfigError('maxBatchRecords needs to be equal or smaller than maxBufferedRecords', {
      context: { option: 'maxBatchRecords' },
    })
  }
  return limits
}

export function validateOptions(options: PublisherOptions<object>): void {
  if (!options || typeof options.encoder?.encode !== 'function') {
    throw new PublisherConfigError('encoder needs an encode(eventType, event) method', {
      context: { option: 'encoder' },
    })
  }
  if (!options.kafka && (!options.brokers || options.brokers.length === 0)) {
    throw new PublisherConfigError('kafka or brokers is needed to reach a cluster', {
      context: { option: 'brokers' },
    })
  }
}
