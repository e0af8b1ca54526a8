export { forEachConcurrently } from './src/admin/concurrently.ts'
export { KafkaEnv, kafkaConfigFromEnv } from './src/config/client-config.ts'
export { defaultRetryBudgetMs, retryWaits, retryWithinBudget } from './src/config/retry-budget.ts'
export { transactionalRetry } from './src/config/transactional-retry.ts'
export { recordingPartitioner, unansweredPartitions } from './src/producing/answered.ts'
export {
  changelogTopicName,
  deadLetterTopicName,
  maxTopicNameLength,
  retryTopicName,
  transactionalIdFor,
  validateTopicName,
} from './src/topics/naming.ts'
export type {
  ConfigDrift,
  DurabilityShortfall,
  ProvisionOptions,
  ProvisionReport,
  TopicSpec,
} from './src/topics/provision.ts'
export { ensureTopics, partitionCounts, specDurability, waitForTopics } from './src/topics/provision.ts'
export {
  BackboneAttr,
  ExceptionAttr,
  exceptionAttributes,
  KAFKA,
  MessagingAttr,
  MessagingOperation,
} from './src/trace/attributes.ts'
export {
  activeTraceparent,
  activeTracer,
  contextFromHeaders,
  contextFromTraceparent,
  traceparentOf,
} from './src/trace/record-trace.ts'
export type { CloudEventAttributes, CloudEventMetadata } from './src/wire/cloudevents.ts'
export {
  AVRO_CONTENT_TYPE,
  CLOUDEVENTS_PREFIX,
  CLOUDEVENTS_SPEC_VERSION,
  CloudEventHeader,
  cloudEventHeaders,
  readCloudEventAttributes,
  schemaReference,
  sourceReference,
} from './src/wire/cloudevents.ts'
export type { Durability, DurabilityProfile } from './src/wire/durability.ts'
export { defaultDurability, durabilityFor, parseDurabilityProfile } from './src/wire/durability.ts'
export {
  allHeaders,
  Header,
  headerLimits,
  headerPrefix,
  ReplayHeader,
  Stage,
  TRACEPARENT_HEADER,
} from './src/wire/headers.ts'
export { fixedTopic, idPrefix, TopicFamily, topicFamilies, topicSuffix } from './src/wire/topics.ts'
