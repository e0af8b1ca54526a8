import { BackboneError } from '@event-backbone/errors'
import type { FastifyInstance, FastifyReply } from 'fastify'

export const REQUEST_ID_HEADER = 'x-request-id'

/**
 * One answer that is not a success. Every HTTP face sends it in one body shape:
 * `{ error, message, requestId, code?, ...details }`. `error` is the stable reason a client
 * branches on; `code` is the catalogue code (docs/errors.md) when a backbone error caused it.
 */
export interface Problem {
  readonly status: number
  readonly error: string
  readonly message: string
  readonly code?: string
  /** Seconds, sent as `Retry-After`. */
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

export interface ProblemOptions {
  /** Sent as `Retry-After` with every 503; default 5 s. */
  readonly retryAfterSeconds?: number
}

/** Fastify's own refusals (body parsing, limits, content types), by its error code. */
const fastifyReasons: Readonly<Record<string, { status: number; error: string; message?: string }>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    error: 'unsupported_media_type',
    message: 'send the body as Content-Type: application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    error: 'body_too_large',
    message: 'the request body is larger than this service accepts',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    error: 'invalid_json',
    message: 'the request body is empty; send a JSON object',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, error: 'invalid_json' },
}

/**
 * What an error means over HTTP. A catalogue error answers its own `httpStatus` with its code;
 * fastify's refusals keep their 4xx; kafkajs failures mean Kafka is unreachable (503); anything
 * else is a bug, answered 500 without its message (which may hold internals).
 */
export function problemFor(error: unknown, options: ProblemOptions = {}): Problem {
  const retryAfter = options.retryAfterSeconds ?? 5
  const withRetry = (answer: Problem): Problem =>
    answer.status === 503 ? { ...answer, retryAfter: answer.retryAfter ?? retryAfter } : answer
  if (error instanceof BackboneError) {
    return withRetry({
      status: error.httpStatus,
      error: error.code,
      code: error.code,
      message: error.message,
    })
  }
  const fastifyError = error as {
    code?: unknown
    statusCode?: unknown
    validation?: unknown
    message?: unknown
  }
  const message = typeof fastifyError?.message === 'string' ? fastifyError.message : String(error)
  const known = typeof fastifyError?.code === 'string' ? fastifyReasons[fastifyError.code] : undefined
  if (known) return problem(known.status, known.error, known.message ?? message)
  if (fastifyError?.validation) return problem(400, 'bad_request', message)
  const status = typeof fastifyError?.statusCode === 'number' ? fastifyError.statusCode : 500
  if (status >= 400 && status < 500) return problem(status, 'bad_request', message)
  if ((error as Error)?.name?.startsWith('KafkaJS')) {
    return withRetry(problem(503, 'kafka_unavailable', `Kafka did not answer: ${message}`))
  }
  return problem(500, 'internal_error', 'unexpected error; the service log has the cause')
}

/** Sends a problem in the one body shape, with `x-request-id` and `Retry-After` headers. */
export function sendProblem(reply: FastifyReply, answer: Problem): FastifyReply {
  if (!reply.hasHeader(REQUEST_ID_HEADER)) reply.header(REQUEST_ID_HEADER, reply.request.id)
  if (answer.retryAfter !== undefined) reply.header('retry-after', String(answer.retryAfter))
  return reply.code(answer.status).send({
    error: answer.error,
    message: answer.message,
    requestId: reply.getHeader(REQUEST_ID_HEADER),
    ...(answer.code === undefined ? {} : { code: answer.code }),
    ...answer.details,
  })
}

/**
 * The kit's error and not-found handlers: every error a route throws, and every unknown route,
 * is answered in the one body shape. 5xx answers are logged with their cause.
 */
export function registerErrorHandlers(app: FastifyInstance, options: ProblemOptions = {}): void {
  app.setErrorHandler((error, request, reply) => {
    const answer = problemFor(error, options)
    if (answer.status >= 500) request.log.error({ err: error, status: answer.status }, 'request failed')
    return sendProblem(reply, answer)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(404, 'not_found', `no route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  )
}
