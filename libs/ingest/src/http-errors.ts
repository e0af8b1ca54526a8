import { BackboneError } from '@event-backbone/errors'
import { type Problem, problem, problemFor } from '#libs/service'
import type { FieldError } from './json-to-event.ts'

/*
 * The gateway answers in the service kit's one error shape (`{ error, message, requestId, code?,
 * ...details }`, libs/service/src/http-errors.ts); this module only names the gateway's own
 * reasons, documented in docs/ingest-gateway.md.
 */
export type { Problem }
export { problem }

export function invalidEvent(eventType: string, errors: readonly FieldError[]): Problem {
  const first = errors[0]
  const summary = first ? `${first.path}: ${first.message}` : 'invalid'
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
  return problem(
    400,
    'invalid_event',
    `the ${eventType} event does not match its schema: ${summary}${more}`,
    {
      eventType,
      errors,
    },
  )
}

/** The documented reason for each publish failure and how its message starts. */
const publishReasons: Readonly<Record<string, { error: string; message?: (text: string) => string }>> = {
  EB_SERDE_REGISTRY_UNAVAILABLE: {
    error: 'registry_unavailable',
    message: (text) => `the schema registry is unreachable: ${text}`,
  },
  EB_PUBLISH_FAILED: {
    error: 'kafka_unavailable',
    message: (text) => `Kafka did not acknowledge the event: ${text}`,
  },
  EB_INGEST_PUBLISH_TIMEOUT: {
    error: 'kafka_unavailable',
    message: (text) => `Kafka did not acknowledge the event: ${text}`,
  },
  EB_PUBLISH_BUFFER_FULL: {
    error: 'overloaded',
    message: (text) => `the gateway's publish buffer is full: ${text}`,
  },
  EB_PUBLISHER_CLOSED: {
    error: 'shutting_down',
    message: () => 'the gateway is shutting down; retry on another instance',
  },
  // Provisioning has not run (yet): an operator's problem, which may well be fixed soon.
  EB_PUBLISH_TOPIC_NOT_FOUND: { error: 'topic_not_found' },
  EB_PUBLISH_RECORD_TOO_LARGE: { error: 'event_too_large' },
  EB_SERDE_AVRO_ENCODE: { error: 'invalid_event' },
}

/**
 * What a failed publish means for the client. The status is the error catalogue's (docs/errors.md):
 * only failures the client cannot fix are 5xx, and the retriable ones are 503 with `Retry-After`,
 * since retrying with the same `eventId` is safe (consumers deduplicate by it).
 */
export function publishProblem(error: unknown, retryAfter: number): Problem {
  const message = error instanceof Error ? error.message : String(error)
  if (!(error instanceof BackboneError)) {
    return problem(500, 'internal_error', `the event could not be published: ${message}`)
  }
  const answer = problemFor(error, { retryAfterSeconds: retryAfter })
  const reason = publishReasons[error.code]
  if (reason) return { ...answer, error: reason.error, message: reason.message?.(message) ?? message }
  if (answer.status === 503) return { ...answer, error: 'unavailable' }
  if (answer.status >= 500) {
    return { ...answer, error: 'internal_error', message: `the event could not be published: ${message}` }
  }
  return answer
}
