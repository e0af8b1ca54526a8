import {
  RegistryStoreTimeoutError,
  RegistryStoreUnavailableError,
  RegistryWriterFencedError,
} from '@event-backbone/errors'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { httpErrors, RegistryHttpError } from '../errors.ts'
import { VENDOR_V1 } from './content-types.ts'

/** Maps any thrown error to a Confluent body `{error_code, message}`: never a bare 500. */
export function toHttpError(error: unknown): RegistryHttpError {
  if (error instanceof RegistryHttpError) return error
  if (error instanceof RegistryWriterFencedError) return httpErrors.leaderUnavailable(error.message)
  if (error instanceof RegistryStoreTimeoutError) return httpErrors.timeout(error.message)
  if (error instanceof RegistryStoreUnavailableError) return httpErrors.storeError(error.message)
  const fastifyError = error as Partial<FastifyError>
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new RegistryHttpError(415, 415, 'HTTP 415 Unsupported Media Type')
    }
    if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return httpErrors.invalidSchema('empty body')
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new RegistryHttpError(413, 413, `HTTP 413 Payload Too Large: ${fastifyError.message}`)
    }
    return new RegistryHttpError(status, status, fastifyError.message ?? `HTTP ${status}`)
  }
  return httpErrors.storeError((error as Error)?.message ?? String(error))
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const httpError = toHttpError(error)
    if (httpError.status >= 500) request.log.error({ err: error }, 'schema registry request failed')
    // A 406 from onRequest left no usable type; every error is JSON in the vendor type.
    if (httpError.status === 406 || !reply.getHeader('content-type')) reply.type(VENDOR_V1)
    return reply.status(httpError.status).send(httpError.body())
  })
  app.setNotFoundHandler((_request: FastifyRequest, reply: FastifyReply) =>
    reply.status(404).send({ error_code: 404, message: 'HTTP 404 Not Found' }),
  )
}
