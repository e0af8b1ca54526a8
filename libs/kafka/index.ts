export { KafkaEnv, kafkaConfigFromEnv } from './src/config/client-config.ts'
export { transactionalRetry } from './src/config/transactional-retry.ts'
export {
  changelogTopicName,
  deadLetterTopicName,
  maxTopicNameLength,
  retryTopicName,
  transactionalIdFor,
  validateTopicName,
} from './src/topics/naming.ts'
export type { ProvisionReport, TopicSpec } from './src/topics/provision.ts'
export { ensureTopics, partitionCounts, waitForTopics } from './src/topics/provision.ts'
