import { defineError } from './backbone-error.ts'

/*
 * Publisher errors: raised by libs/publisher while a publish waits for room, is sent, or is refused
 * before sending. A rejected publish is never reported as published; a failed batch may still have
 * been written in part (Kafka gives no atomicity across partitions without transactions).
 */
export const PublishFailedError = defineError(
  'PublishFailedError',
  'EB_PUBLISH_FAILED',
  'the broker did not acknowledge the batch that held the event',
  true,
)
export const PublishRejectedError = defineError(
  'PublishRejectedError',
  'EB_PUBLISH_REJECTED',
  'the broker refused the batch that held the event, and retrying it unchanged cannot succeed',
  false,
)
export const TopicNotFoundError = defineError(
  'TopicNotFoundError',
  'EB_PUBLISH_TOPIC_NOT_FOUND',
  'the topic of the event does not exist (topics are never created on publish)',
  false,
  503,
)
export const PublisherClosedError = defineError(
  'PublisherClosedError',
  'EB_PUBLISHER_CLOSED',
  'the publisher is closed or closing and accepts no more events',
  false,
  503,
)
export const BufferFullError = defineError(
  'BufferFullError',
  'EB_PUBLISH_BUFFER_FULL',
  'the publish waited maxBlockMs for room in the full publish buffer',
  true,
)
export const RecordTooLargeError = defineError(
  'RecordTooLargeError',
  'EB_PUBLISH_RECORD_TOO_LARGE',
  'the encoded event is larger than one batch or the whole publish buffer may hold',
  false,
  413,
)
export const EventEncodeError = defineError(
  'EventEncodeError',
  'EB_PUBLISH_ENCODE',
  'the encoder could not turn the event into a record',
  false,
)
export const InvalidTraceparentError = defineError(
  'InvalidTraceparentError',
  'EB_PUBLISH_INVALID_TRACEPARENT',
  'the traceparent given is not a valid W3C trace context traceparent',
  false,
  400,
)
export const PublisherConfigError = defineError(
  'PublisherConfigError',
  'EB_PUBLISHER_CONFIG',
  'the publisher options are invalid',
  false,
)
