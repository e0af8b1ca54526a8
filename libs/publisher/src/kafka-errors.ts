import { type ErrorContext, PublishFailedError, PublishRejectedError } from '@event-backbone/errors'

interface KafkaJsLikeError {
  readonly name?: string
  readonly message?: string
  readonly retriable?: boolean
}

const PROGRAMMING_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'])

/**
 * Whether sending the same batch again can succeed. kafkajs marks each error `retriable`; when its
 * own retries run out it throws KafkaJSNumberOfRetriesExceeded (itself marked non-retriable), but the
 * condition behind it (broker down, leader moving) was transient, so a later try can succeed.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const candidate = (error ?? {}) as KafkaJsLikeError
  if (candidate.name === 'KafkaJSNumberOfRetriesExceeded') return true
  if (candidate.name !== undefined && PROGRAMMING_ERRORS.has(candidate.name)) return false
  return candidate.retriable === true
}

/** The error each publish of a failed batch rejects with (one instance per publish). */
export function batchError(cause: unknown, context: ErrorContext): Error {
  const ErrorClass = isRetriableKafkaError(cause) ? PublishFailedError : PublishRejectedError
  const reason = (cause as KafkaJsLikeError | undefined)?.message ?? String(cause)
  return new ErrorClass(`${ErrorClass.defaultMessage} (topic ${context.topic}): ${reason}`, {
    cause,
    context,
  })
}
