import {
  BackboneError,
  type ErrorContext,
  RegistryIncompatibleSchemaError,
  RegistryRequestRejectedError,
  RegistryUnavailableError,
  UnknownSchemaIdError,
} from '@event-backbone/errors'

/*
 * @kafkajs/confluent-schema-registry (through mappersmith) rejects with a `ResponseError` that
 * carries the HTTP `status` but not Confluent's `error_code`. Network failures arrive as status 400
 * with the socket error's text in the message, so they are told apart from real 400s by that text.
 */
const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|socket hang up|Timeout \(/

export interface RegistryOperation {
  readonly operation: 'register' | 'getSchemaById'
  readonly context: ErrorContext
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined
  return typeof error.status === 'number' ? error.status : undefined
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Turns whatever the HTTP client threw into the backbone error that says what to do about it. */
export function toRegistryError(error: unknown, { operation, context }: RegistryOperation): BackboneError {
  if (error instanceof BackboneError) return error
  const status = statusOf(error)
  const message = messageOf(error)
  const options = { cause: error, context: status === undefined ? context : { ...context, status } }
  const where = `schema registry at ${String(context['registryUrl'])}`
  if (status === 404 && operation === 'getSchemaById') {
    return new UnknownSchemaIdError(
      `the ${where} does not know schema id ${String(context['schemaId'])}`,
      options,
    )
  }
  if (status === 409) {
    return new RegistryIncompatibleSchemaError(
      `the ${where} refused the schema for ${String(context['subject'])} as incompatible: ${message}`,
      options,
    )
  }
  const unavailable =
    status === undefined
      ? NETWORK_FAILURE.test(message) || (error as { code?: unknown })?.code === 'ETIMEDOUT'
      : status === 408 || status === 429 || status >= 500 || (status === 400 && NETWORK_FAILURE.test(message))
  if (unavailable) {
    return new RegistryUnavailableError(`the ${where} did not answer ${operation}: ${message}`, options)
  }
  return new RegistryRequestRejectedError(`the ${where} refused ${operation}: ${message}`, options)
}
