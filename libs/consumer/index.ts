export { backoffDelay, retryDelay } from './src/failure/backoff.ts'
export { classify, isProgrammingError, nonRetriable, Verdict } from './src/failure/classify.ts'
export { allHeaders, Header, headerLimits, Stage } from './src/headers/names.ts'
export type { ControlBounds, RetryControl } from './src/headers/read.ts'
export { readRetryControl } from './src/headers/read.ts'
export type { FailureContext, Origin } from './src/headers/write.ts'
export { failureHeaders } from './src/headers/write.ts'
export type {
  AbortedEvent,
  BatchEvent,
  ChannelName,
  ChannelPayloads,
  CommittedEvent,
  ConsumedEvent,
  DeadLetteredEvent,
  ExpiredEvent,
  HandlerEvent,
  LifecycleEvent,
  RecordEvent,
  RetriedEvent,
  TimedOutEvent,
} from './src/instrumentation/channels.ts'
export { channelNames, onChannel } from './src/instrumentation/channels.ts'
export type { Duration } from './src/policy/duration.ts'
export { formatDuration, toMilliseconds } from './src/policy/duration.ts'
export type { PolicyInput, ResolvedPolicy, RetryPolicy } from './src/policy/types.ts'
export { defaultPolicy, Guarantee, Ordering } from './src/policy/types.ts'
export { policyLimits, resolvePolicy } from './src/policy/validate.ts'
export { validateGroupOptions } from './src/policy/validate-group.ts'
export type { ConsumerGroup } from './src/runtime/consumer-group.ts'
export { createConsumerGroup } from './src/runtime/consumer-group.ts'
export type { CompiledSubscription } from './src/runtime/routes.ts'
export type {
  AnySubscription,
  ConsumerGroupOptions,
  ConsumerTuning,
  Decoder,
  EmitOptions,
  Encoder,
  ExactlyOnceOptions,
  Filter,
  Handler,
  HandlerContext,
  Logger,
  PartitionHooks,
  RawValue,
  RecordContext,
  Subscription,
  TopicPartition,
} from './src/types.ts'
export { subscription } from './src/types.ts'
