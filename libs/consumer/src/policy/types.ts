import type { Duration } from './duration.ts'

export const Guarantee = {
  atLeastOnce: 'at-least-once',
  exactlyOnce: 'exactly-once',
} as const
export type Guarantee = (typeof Guarantee)[keyof typeof Guarantee]

/** Which records of a partition may be processed at once (docs/consumer-runtime.md "Ordering"). */
export const Ordering = {
  /** One record at a time per partition, in offset order. */
  partition: 'partition',
  /** Records of different keys at once; records of one key strictly in offset order. */
  key: 'key',
  /** Any record at once, up to the in-flight bounds. */
  none: 'none',
} as const
export type Ordering = (typeof Ordering)[keyof typeof Ordering]

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
  /** `partition` ordering: how many partitions of this topic are processed at once. */
  readonly concurrency?: number
  readonly ordering?: Ordering
  /** `key`/`none` ordering: records of this subscription being handled at once, over all partitions. */
  readonly maxInFlight?: number
  /** `key`/`none` ordering: records of one partition being handled at once. Default: `maxInFlight`. */
  readonly maxInFlightPerPartition?: number
  /** A handler call running longer fails as retriable (`HandlerTimeoutError`). Default: none. */
  readonly handlerTimeout?: Duration
  /** A domain record older than this when read is dead-lettered (`RecordTooOldError`). Default: none. */
  readonly maxRecordAge?: Duration
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
  readonly ordering: Ordering
  readonly maxInFlight: number
  readonly maxInFlightPerPartition: number
  /** 0: no timeout. */
  readonly handlerTimeoutMs: number
  /** 0: no limit. */
  readonly maxRecordAgeMs: number
}

export const defaultPolicy = {
  retry: { attempts: 2, initialDelay: 200, multiplier: 2, maxDelay: 5_000, jitter: 0.2 },
  retryTopics: [],
  deadLetter: true,
  guarantee: Guarantee.atLeastOnce,
  concurrency: 1,
  ordering: Ordering.partition,
  maxInFlight: 256,
  maxInFlightPerPartition: 256,
  handlerTimeout: 0,
  maxRecordAge: 0,
} as const satisfies Required<PolicyInput>
