import diagnostics from 'node:diagnostics_channel'

/**
 * The runtime's diagnostics channels. Metrics and logs subscribe; nothing is built for a channel
 * nobody listens to (`publish` takes a payload factory and checks `hasSubscribers` first).
 * docs/metrics.md lists the channels and their payloads.
 */
export const channelNames = {
  consumed: 'event-backbone:consumer:consumed',
  handler: 'event-backbone:consumer:handler',
  retried: 'event-backbone:consumer:retried',
  deadLettered: 'event-backbone:consumer:dead-lettered',
  skipped: 'event-backbone:consumer:skipped',
  filtered: 'event-backbone:consumer:filtered',
  timedOut: 'event-backbone:consumer:timed-out',
  expired: 'event-backbone:consumer:expired',
  committed: 'event-backbone:consumer:committed',
  aborted: 'event-backbone:consumer:aborted',
  batch: 'event-backbone:consumer:batch',
  lifecycle: 'event-backbone:consumer:lifecycle',
} as const
export type ChannelName = keyof typeof channelNames

export interface RecordEvent {
  readonly groupId: string
  readonly topic: string
  readonly sourceTopic: string
  readonly partition: number
  readonly offset: string
}
export interface ConsumedEvent extends RecordEvent {
  readonly attempt: number
}
export interface HandlerEvent extends RecordEvent {
  readonly durationMs: number
  readonly ok: boolean
}
export interface RetriedEvent extends RecordEvent {
  /** 'in-process' for a retry in place, 'topic' when written to a retry topic. */
  readonly kind: 'in-process' | 'topic'
  readonly tier: number
  readonly errorClass: string
}
export interface DeadLetteredEvent extends RecordEvent {
  readonly stage: string
  readonly errorClass: string
  readonly deadLetterTopic: string
}
export interface TimedOutEvent extends RecordEvent {
  readonly timeoutMs: number
  readonly attempt: number
}
export interface ExpiredEvent extends RecordEvent {
  readonly ageMs: number
  readonly maxRecordAgeMs: number
}
export interface CommittedEvent {
  readonly groupId: string
  readonly topic: string
  readonly partition: number
  /** The committed offset: the next record to read. */
  readonly offset: string
  readonly records: number
  readonly transactional: boolean
}
export interface AbortedEvent {
  readonly groupId: string
  readonly topic: string
  readonly partition: number
  readonly errorClass: string
}
export interface BatchEvent {
  readonly groupId: string
  readonly topic: string
  readonly partition: number
  readonly highWatermark: string
  /** Records between the committed position and the high watermark after this batch. */
  readonly lag: number
}
export interface LifecycleEvent {
  readonly groupId: string
  readonly state: 'joined' | 'crashed' | 'stopped' | 'restarting'
  readonly error?: unknown
}

export interface ChannelPayloads {
  consumed: ConsumedEvent
  handler: HandlerEvent
  retried: RetriedEvent
  deadLettered: DeadLetteredEvent
  skipped: DeadLetteredEvent
  filtered: RecordEvent
  timedOut: TimedOutEvent
  expired: ExpiredEvent
  committed: CommittedEvent
  aborted: AbortedEvent
  batch: BatchEvent
  lifecycle: LifecycleEvent
}

const channels = Object.fromEntries(
  Object.entries(channelNames).map(([key, name]) => [key, diagnostics.channel(name)]),
) as Record<ChannelName, diagnostics.Channel>

export function publish<K extends ChannelName>(name: K, build: () => ChannelPayloads[K]): void {
  const channel = channels[name]
  if (channel.hasSubscribers) channel.publish(build())
}

/** Subscribes to one channel with its typed payload; returns the unsubscribe function. */
export function onChannel<K extends ChannelName>(
  name: K,
  listener: (payload: ChannelPayloads[K]) => void,
): () => void {
  const fn = (message: unknown) => listener(message as ChannelPayloads[K])
  diagnostics.subscribe(channelNames[name], fn)
  return () => diagnostics.unsubscribe(channelNames[name], fn)
}

export function hasSubscribers(name: ChannelName): boolean {
  return channels[name].hasSubscribers
}
