import type { EventType } from '@event-backbone/catalog'

/** How a record reaches the function (docs/triggers.md "Delivery formats"). */
export const DeliveryFormat = {
  /** CloudEvents HTTP binding, binary mode: `ce-*` headers, the event as the JSON body. */
  binary: 'binary',
  /** CloudEvents HTTP binding, structured mode: `application/cloudevents+json`. */
  structured: 'structured',
  /** AWS Lambda's self-managed Kafka event (for Lambda function URLs), one record per request. */
  lambda: 'lambda',
} as const
export type DeliveryFormat = (typeof DeliveryFormat)[keyof typeof DeliveryFormat]

/** Which deliveries of a trigger may be in flight at once. */
export const TriggerOrdering = {
  /** Deliveries of one record key one at a time, in offset order; different keys at once. */
  key: 'key',
  /** Any delivery at once, up to `concurrency`. */
  none: 'none',
} as const
export type TriggerOrdering = (typeof TriggerOrdering)[keyof typeof TriggerOrdering]

export const StartFrom = { latest: 'latest', earliest: 'earliest' } as const
export type StartFrom = (typeof StartFrom)[keyof typeof StartFrom]

/**
 * Knative-style attribute filter: every entry must match. Keys are CloudEvents attribute names
 * (`type`, `source`, `subject`, an extension such as `partitionkey`) or `data.<field>` paths into the
 * event; values are compared as strings.
 */
export interface TriggerFilter {
  readonly exact: Readonly<Record<string, string>>
  readonly prefix: Readonly<Record<string, string>>
}

export interface TriggerRetry {
  /** Deliveries in place after the first failed one, before the record moves to a retry tier. */
  readonly attempts: number
  readonly initialDelayMs: number
  readonly multiplier: number
  /** Cap of one delay, also of an honoured `Retry-After`. */
  readonly maxDelayMs: number
  readonly jitter: number
}

/** Estimated cost, priced like a serverless platform bills an invocation. */
export interface TriggerCost {
  readonly memoryMb: number
  readonly pricePerMillionInvocations: number
  readonly pricePerGbSecond: number
}

/** One validated trigger. */
export interface Trigger {
  readonly name: string
  readonly events: readonly EventType[]
  readonly url: string
  readonly format: DeliveryFormat
  readonly filter: TriggerFilter
  readonly ordering: TriggerOrdering
  readonly concurrency: number
  readonly timeoutMs: number
  readonly startFrom: StartFrom
  readonly retry: TriggerRetry
  readonly retryTopicsMs: readonly number[]
  readonly deadLetter: boolean
  /** Environment variable holding the Standard Webhooks secret(s) (`whsec_…`, space-separated). */
  readonly secretEnv?: string
  /** Request header name → environment variable holding its value (auth tokens, API keys). */
  readonly headersFromEnv: Readonly<Record<string, string>>
  readonly cost: TriggerCost
}

export interface TriggersFile {
  readonly path: string
  readonly triggers: readonly Trigger[]
}

/** What a trigger gets when the file leaves a field out (docs/triggers.md has the table). */
export const triggerDefaults = {
  format: DeliveryFormat.binary,
  ordering: TriggerOrdering.key,
  concurrency: 16,
  timeoutMs: 10_000,
  startFrom: StartFrom.latest,
  retry: { attempts: 3, initialDelayMs: 500, multiplier: 2, maxDelayMs: 30_000, jitter: 0.2 },
  retryTopicsMs: [60_000],
  deadLetter: true,
  // AWS Lambda's published x86 prices (us-east-1): $0.20 per million requests, $0.0000166667 per GB-second.
  cost: { memoryMb: 128, pricePerMillionInvocations: 0.2, pricePerGbSecond: 0.0000166667 },
} as const

export const triggerLimits = {
  nameMaxLength: 100,
  concurrency: { min: 1, max: 10_000 },
  timeoutMs: { min: 1, max: 15 * 60_000 },
  retryAttempts: { min: 0, max: 100 },
  maxDelayMs: 60_000,
  retryTopics: 20,
  memoryMb: { min: 1, max: 1_048_576 },
} as const
