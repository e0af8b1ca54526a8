/**
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
