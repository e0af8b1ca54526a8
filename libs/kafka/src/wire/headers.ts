/**
 * The backbone's header names, part of the wire contract: nothing else spells them.
 *
 * Context headers the runtime adds to retry and dead-letter records (docs/consumer-runtime.md has
 * the same table; a unit test keeps them in step). All values are UTF-8 strings; times are epoch ms.
 */
export const Header = {
  originalTopic: 'eb.original.topic',
  originalPartition: 'eb.original.partition',
  originalOffset: 'eb.original.offset',
  originalTimestamp: 'eb.original.timestamp',
  group: 'eb.group',
  stage: 'eb.stage',
  errorClass: 'eb.error.class',
  errorCode: 'eb.error.code',
  errorMessage: 'eb.error.message',
  errorStack: 'eb.error.stack',
  attempts: 'eb.attempts',
  firstFailureAt: 'eb.failure.first',
  lastFailureAt: 'eb.failure.last',
  retryTier: 'eb.retry.tier',
  retryDueAt: 'eb.retry.due',
} as const
export type Header = (typeof Header)[keyof typeof Header]

export const allHeaders: readonly string[] = Object.values(Header)

export const Stage = {
  deserialize: 'deserialize',
  handle: 'handle',
  produce: 'produce',
} as const
export type Stage = (typeof Stage)[keyof typeof Stage]

/** Bounds on what the runtime writes, so one failure cannot blow up a record's size. */
export const headerLimits = {
  messageChars: 1_000,
  stackChars: 4_000,
} as const

/** Headers a replay adds (docs/dlq.md has the table). */
export const ReplayHeader = {
  id: 'eb.replay.id',
  by: 'eb.replay.by',
  at: 'eb.replay.at',
  count: 'eb.replay.count',
  dltTopic: 'eb.replay.dlt.topic',
  dltPartition: 'eb.replay.dlt.partition',
  dltOffset: 'eb.replay.dlt.offset',
} as const
export type ReplayHeader = (typeof ReplayHeader)[keyof typeof ReplayHeader]

/** Prefixes that group headers: a replay drops earlier replay headers and, to the original topic, the origin. */
export const headerPrefix = {
  replay: 'eb.replay.',
  original: 'eb.original.',
} as const

/** W3C trace context, carried in a Kafka header of the same name as the HTTP one. */
export const TRACEPARENT_HEADER = 'traceparent'
