// The public surface of @event-backbone/client: publish and subscribe by event type, the consumer
// runtime and its policies, topic provisioning, state for exactly-once handlers, metrics and the
// error catalogue. Everything a service outside this repository uses is exported here and only here.

// The error catalogue, so one import gives a handler every error class it may throw or catch.
export * from '@event-backbone/errors'
// Consuming: groups, subscriptions, policies and their instrumentation.
export type {
  AbortedEvent,
  AnySubscription,
  BatchEvent,
  ChannelName,
  ChannelPayloads,
  CommittedEvent,
  CompiledSubscription,
  ConsumedEvent,
  ConsumerGroup,
  ConsumerGroupOptions,
  ConsumerTuning,
  DeadLetteredEvent,
  Decoder,
  Duration,
  EmitOptions,
  Encoder,
  ExactlyOnceOptions,
  ExpiredEvent,
  Filter,
  Handler,
  HandlerContext,
  HandlerEvent,
  LifecycleEvent,
  Logger,
  PartitionHooks,
  PolicyInput,
  RawValue,
  RecordContext,
  RecordEvent,
  ResolvedPolicy,
  RetriedEvent,
  RetryPolicy,
  Subscription,
  TimedOutEvent,
  TopicPartition,
} from '../consumer/index.ts'
export {
  channelNames,
  createConsumerGroup,
  defaultPolicy,
  Guarantee,
  Header,
  nonRetriable,
  Ordering,
  onChannel,
  policyLimits,
  resolvePolicy,
  Stage,
  subscription,
} from '../consumer/index.ts'
// Typed events: the catalog wired to the publisher and the consumer runtime.
export type { BackboneConnection, TopicHandlers } from '../events/index.ts'
export {
  backboneFromEnv,
  catalogEncoder,
  catalogTopicSpecs,
  childTraceparent,
  emitEvent,
  onEvent,
  onEvents,
  uuidFrom,
} from '../events/index.ts'
// Kafka: configuration from the environment, topic naming and provisioning.
export type {
  ConfigDrift,
  Durability,
  DurabilityProfile,
  DurabilityShortfall,
  ProvisionOptions,
  ProvisionReport,
  TopicSpec,
} from '../kafka/index.ts'
export {
  changelogTopicName,
  deadLetterTopicName,
  defaultDurability,
  durabilityFor,
  ensureTopics,
  KafkaEnv,
  kafkaConfigFromEnv,
  retryTopicName,
  TopicFamily,
  transactionalIdFor,
  validateTopicName,
  waitForTopics,
} from '../kafka/index.ts'
// Metrics (prom-client) fed by the runtime's diagnostics channels, and JSON logs (pino).
export {
  consumerMetricNames,
  createLogger,
  createMetricsRegistry,
  instrumentConsumers,
} from '../observability/index.ts'
// Publishing.
export type {
  EncodedEvent,
  EventEncoder,
  Headers,
  HeaderValue,
  PublishEntry,
  Publisher,
  PublisherOptions,
  PublisherStats,
  PublishOptions,
  PublishOutcome,
  PublishResult,
  TraceContext,
} from '../publisher/index.ts'
export {
  createPublisher,
  EVENT_TYPE_HEADER,
  formatTraceparent,
  generateTraceparent,
  PUBLISHER_DEFAULTS,
  parseTraceparent,
  TRACEPARENT_HEADER,
} from '../publisher/index.ts'
// State for exactly-once handlers, backed by a compacted changelog topic.
export type {
  Applied,
  ChangelogVisitor,
  Changes,
  Horizon,
  PartitionStoreOptions,
  RestoreInfo,
  ValueCodec,
} from '../state/index.ts'
export { changelogTopicSpec, jsonCodec, PartitionStore } from '../state/index.ts'
