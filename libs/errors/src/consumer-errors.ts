import { defineError } from './backbone-error.ts'

/*
 * Kafka client and consumer runtime errors. `NonRetriableError` is also thrown by handlers to say
 * "trying again cannot help": the runtime dead-letters the record at once.
 */
export const KafkaConfigError = defineError(
  'KafkaConfigError',
  'EB_KAFKA_CONFIG',
  'the Kafka client configuration from the environment is invalid',
  false,
)
export const TopicNameError = defineError(
  'TopicNameError',
  'EB_KAFKA_TOPIC_NAME',
  'the topic name is not legal in Kafka',
  false,
  400,
)
export const TopicPartitionMismatchError = defineError(
  'TopicPartitionMismatchError',
  'EB_KAFKA_TOPIC_PARTITIONS',
  'an existing topic has fewer partitions than required',
  false,
)
export const MissingTopicError = defineError(
  'MissingTopicError',
  'EB_KAFKA_TOPIC_MISSING',
  'a topic the consumer group subscribes to does not exist',
  false,
)
export const PolicyValidationError = defineError(
  'PolicyValidationError',
  'EB_CONSUMER_POLICY',
  'the consumer group configuration is invalid',
  false,
)
export const NonRetriableError = defineError(
  'NonRetriableError',
  'EB_CONSUMER_NON_RETRIABLE',
  'the handler declared that retrying cannot help',
  false,
)
export const ControlHeaderError = defineError(
  'ControlHeaderError',
  'EB_CONSUMER_CONTROL_HEADER',
  'a retry record carries a control header that is missing, malformed or out of bounds',
  false,
)
export const ShutdownTimeoutError = defineError(
  'ShutdownTimeoutError',
  'EB_CONSUMER_SHUTDOWN_TIMEOUT',
  'the consumer group did not stop within its shutdown deadline',
  false,
)
export const HandlerTimeoutError = defineError(
  'HandlerTimeoutError',
  'EB_CONSUMER_HANDLER_TIMEOUT',
  'a handler ran longer than its subscription handlerTimeout',
  true,
)
export const RecordTooOldError = defineError(
  'RecordTooOldError',
  'EB_CONSUMER_RECORD_TOO_OLD',
  'a record was older than its subscription maxRecordAge when it was read',
  false,
)
