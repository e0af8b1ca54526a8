import type { Duration } from './duration.ts'

export const Guarantee = {
  atLeastOnce: 'at-least-once',
  exactlyOnce: 'exactly-once',
} as const
export type Guarantee = (typeof Guarantee)[keyof typeof Guarantee]

/** In-process retries of a failed handler, before the record moves to a retry topic. */
export interface RetryPolicy {
  /** Retries after the first failed attempt (0 = none). */
  readonly attempts: number
  readonly initialDelay: Duration
  readonly multiplier: number
  readonly maxDelay: Duration
  /** Fraction of each delay that is randomised, 0..1. */
  readonly jitter: number
}

/** One subscription's policy as written by people: every field optional, merged over the defaults. */
export interface PolicyInput {
  readonly retry?: Partial<RetryPolicy>
  /** Delay tiers: one retry topic per tier, consumed by this group. */
  readonly retryTopics?: readonly Duration[]
  readonly deadLetter?: boolean
  readonly guarantee?: Guarantee
  /** How many partitions of this topic are processed at once (order within a partition is kept). */
  readonly concurrency?: number
}

/** A validated policy with durations in milliseconds. */
export interface ResolvedPolicy {
  readonly retry: {
    readonly attempts: number
    readonly initialDelayMs: number
    readonly multiplier: number
    readonly maxDelayMs: number
    readonly jitter: number
  }
  readonly retryTopicsMs: readonly number[]
  readonly deadLetter: boolean
  readonly guarantee: Guarantee
  readonly concurrency: number
}

export const defaultPolicy = {
  retry: { attempts: 2, initialDelay: 200, multiplier: 2, maxDelay: 5_000, jitter: 0.2 },
  retryTopics: [],
  deadLetter: true,
  guarantee: Guarantee.atLeastOnce,
  concurrency: 1,
} as const satisfies Required<PolicyInput>
