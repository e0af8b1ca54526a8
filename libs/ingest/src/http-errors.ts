import { BackboneError } from '@event-backbone/errors'
import type { FieldError } from './json-to-event.ts'

/**
 * One answer that is not a success. Every error body has the same shape:
 * `{ error: <stable code>, message: <human text>, requestId, ...details }`.
 */
export interface Problem {
  readonly status: number
  readonly error: string
  readonly message: string
  /** Seconds, sent as `Retry-After`: set for every 503. */
  readonly retryAfter?: number
  readonly details?: Readonly<Record<string, unknown>>
}

export function problem(
  status: number,
  error: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): Problem {
  return { status, error, message, ...(details === undefined ? {} : { details }) }
}

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

function unavailable(error: string, message: string, retryAfter: number): Problem {
  return { status: 503, error, message, retryAfter }
}

/**
 * What a failed publish means for the client. Only failures the client cannot fix are 5xx, and
 * the retriable ones are 503 with `Retry-After`: retrying with the same `eventId` is safe
 * because consumers deduplicate by it.
 */
export function publishProblem(error: unknown, retryAfter: number): Problem {
  const code = error instanceof BackboneError ? error.code : undefined
  const message = error instanceof Error ? error.message : String(error)
  switch (code) {
    case 'EB_SERDE_REGISTRY_UNAVAILABLE':
      return unavailable('registry_unavailable', `the schema registry is unreachable: ${message}`, retryAfter)
    case 'EB_PUBLISH_FAILED':
    case 'EB_INGEST_PUBLISH_TIMEOUT':
      return unavailable('kafka_unavailable', `Kafka did not acknowledge the event: ${message}`, retryAfter)
    case 'EB_PUBLISH_BUFFER_FULL':
      return unavailable('overloaded', `the gateway's publish buffer is full: ${message}`, retryAfter)
    case 'EB_PUBLISHER_CLOSED':
      return unavailable(
        'shutting_down',
        'the gateway is shutting down; retry on another instance',
        retryAfter,
      )
    case 'EB_PUBLISH_TOPIC_NOT_FOUND':
      // Provisioning has not run (yet): an operator's problem, which may well be fixed soon.
      return unavailable('topic_not_found', message, retryAfter)
    case 'EB_PUBLISH_RECORD_TOO_LARGE':
      return problem(413, 'event_too_large', message)
    case 'EB_SERDE_AVRO_ENCODE':
      return problem(400, 'invalid_event', message)
    default:
      if (error instanceof BackboneError && error.retriable) {
        return unavailable('unavailable', message, retryAfter)
      }
      return problem(500, 'internal_error', `the event could not be published: ${message}`)
  }
}

/** Fastify's own errors (body parsing, limits, content types) in the gateway's error shape. */
export function fastifyProblem(error: { code?: string; statusCode?: number; message: string }): Problem {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'unsupported_media_type', 'send the event as Content-Type: application/json')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'body_too_large', 'the request body is larger than the gateway accepts')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'invalid_json', 'the request body is empty; send a JSON object')
    default: {
      const status = error.statusCode ?? 500
      if (status >= 400 && status < 500) return problem(status, 'bad_request', error.message)
      return problem(500, 'internal_error', 'unexpected error')
    }
  }
}
