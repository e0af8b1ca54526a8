import { BackboneError, type BackboneErrorClass, type ErrorContext } from '@event-backbone/errors'

/**
 * The same error with more context (event type, topic, partition, offset): a registry client does
 * not know which record it was fetching a schema for, the serde does.
 */
export function withContext(error: unknown, context: ErrorContext): unknown {
  if (!(error instanceof BackboneError)) return error
  const ErrorClass = error.constructor as BackboneErrorClass
  const enriched = new ErrorClass(error.message, {
    cause: error.cause,
    context: { ...error.context, ...context },
  })
  if (error.stack !== undefined) enriched.stack = error.stack
  return enriched
}
