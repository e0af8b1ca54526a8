import { performance } from 'node:perf_hooks'
import { eventTypes as catalogEventTypes, type EventType, type EventTypeMap } from '@event-backbone/catalog'
import { PublishTimeoutError } from '@event-backbone/errors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { type Publisher, type PublishOptions, type PublishResult, parseTraceparent } from '#libs/publisher'
import { problemFor, type Rate, RateLimiter, REQUEST_ID_HEADER, sendProblem } from '#libs/service'
import { type ApiKey, findApiKey, mayPublish, presentedKey } from './api-keys.ts'
import { Deadlines } from './deadlines.ts'
import { invalidEvent, type Problem, problem, publishProblem } from './http-errors.ts'
import { acceptJsonOnly, JsonBodyError } from './json-body.ts'
import { type FieldError, jsonToEvent } from './json-to-event.ts'
import { type IngestMetrics, ingestMetrics } from './metrics.ts'
import { openApiDocument } from './openapi.ts'

export const INGEST_DEFAULTS = {
  bodyLimit: 1024 * 1024,
  maxBatchItems: 500,
  publishTimeoutMs: 10_000,
  retryAfterSeconds: 5,
} as const

export interface IngestOptions {
  /** The catalog publisher (createPublisher with catalogEncoder); only `publish` is used. */
  readonly publisher: Pick<Publisher<EventTypeMap>, 'publish'>
  readonly keys: readonly ApiKey[]
  /** Registry for the ingest metrics; none: no metrics. */
  readonly metrics?: Registry
  /** Event types served; default every type of the catalog (each key narrows it further). */
  readonly eventTypes?: readonly EventType[]
  readonly bodyLimit?: number
  readonly maxBatchItems?: number
  /** How long a request waits for the broker's acknowledgement before it answers 503. */
  readonly publishTimeoutMs?: number
  readonly retryAfterSeconds?: number
  /** Requests per API key (a key's own `rate` wins); none: unlimited. */
  readonly rateLimit?: Rate
  /** Failed authentications per client address; none: unlimited. */
  readonly authFailureLimit?: Rate
}

interface Params {
  readonly eventType: string
}

const REQUEST_ID = REQUEST_ID_HEADER
/** The service kit's one error shape (docs/service-kit.md). */
const send = sendProblem

/**
 * Registers `POST /v1/events/:eventType`, `POST /v1/events/:eventType/batch` and
 * `GET /openapi.json` in their own fastify scope (their JSON parser, limits and error handler
 * do not leak to the service's other routes). docs/ingest-gateway.md describes the contract.
 */
export async function registerIngestRoutes(app: FastifyInstance, options: IngestOptions): Promise<void> {
  const served = new Set<string>(options.eventTypes ?? catalogEventTypes())
  const known = [...served]
  const bodyLimit = options.bodyLimit ?? INGEST_DEFAULTS.bodyLimit
  const maxBatchItems = options.maxBatchItems ?? INGEST_DEFAULTS.maxBatchItems
  const publishTimeoutMs = options.publishTimeoutMs ?? INGEST_DEFAULTS.publishTimeoutMs
  const retryAfter = options.retryAfterSeconds ?? INGEST_DEFAULTS.retryAfterSeconds
  const metrics: IngestMetrics | undefined = options.metrics ? ingestMetrics(options.metrics) : undefined
  let openApi: Record<string, unknown> | undefined

  const keyLimits = new RateLimiter(options.rateLimit ?? { perSecond: 1, burst: 1 })
  const failureLimits = options.authFailureLimit ? new RateLimiter(options.authFailureLimit) : undefined
  const tooMany = (retryAfterSeconds: number, message: string): Problem => ({
    ...problem(429, 'rate_limited', message),
    retryAfter: retryAfterSeconds,
  })

  const deadlines = new Deadlines(publishTimeoutMs)
  const timedOut = (eventType: string) => () =>
    new PublishTimeoutError(
      `no acknowledgement within ${publishTimeoutMs} ms; the event may still be stored`,
      {
        context: { eventType },
      },
    )

  /** Publishes with a deadline: a 503 is better than a client whose request hangs for minutes. */
  const publish = (eventType: EventType, event: EventTypeMap[EventType], publishOptions: PublishOptions) => {
    const started = performance.now()
    const publishing = options.publisher.publish(eventType, event as never, publishOptions)
    return deadlines.bound(publishing, timedOut(eventType)).then(
      (result: PublishResult) => {
        metrics?.published(eventType, (performance.now() - started) / 1_000, true)
        return result
      },
      (error: unknown) => {
        metrics?.published(eventType, (performance.now() - started) / 1_000, false)
        throw error
      },
    )
  }

  // Cheapest checks first, none of which reads the body: who, then which type, then may they.
  const gate = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header(REQUEST_ID, request.id)
    // An address that failed too often is refused before its key is even looked at: answering
    // a valid key normally would tell a guesser when it has found one.
    const blocked = failureLimits?.check(request.ip)
    if (blocked && !blocked.ok) {
      return send(
        reply,
        tooMany(blocked.retryAfterSeconds, 'too many failed authentications from this address; retry later'),
      )
    }
    const unauthorized = (message: string) => {
      failureLimits?.take(request.ip)
      return send(reply, problem(401, 'unauthorized', message))
    }
    const secret = presentedKey(request.headers)
    if (secret === undefined) {
      return unauthorized('an API key is required: send Authorization: Bearer <key> or x-api-key')
    }
    const key = findApiKey(options.keys, secret)
    if (key === undefined) return unauthorized('the API key is not valid')
    const keyRate = key.rate ?? options.rateLimit
    if (keyRate) {
      const admitted = keyLimits.take(key.name, 1, keyRate)
      if (!admitted.ok) {
        return send(
          reply,
          tooMany(
            admitted.retryAfterSeconds,
            `the API key "${key.name}" is over its rate limit; retry later`,
          ),
        )
      }
    }
    const { eventType } = request.params as Params
    if (!served.has(eventType)) {
      return send(
        reply,
        problem(404, 'unknown_event_type', `unknown event type ${JSON.stringify(eventType)}`, {
          eventType,
          knownEventTypes: known,
        }),
      )
    }
    if (!mayPublish(key, eventType)) {
      return send(
        reply,
        problem(403, 'forbidden', `the API key "${key.name}" may not publish ${eventType}`, { eventType }),
      )
    }
    const traceparent = request.headers['traceparent']
    if (traceparent !== undefined && (typeof traceparent !== 'string' || !parseTraceparent(traceparent))) {
      return send(
        reply,
        problem(400, 'invalid_traceparent', 'the traceparent header is not a valid W3C traceparent', {
          header: 'traceparent',
        }),
      )
    }
    return undefined
  }

  const traceOf = (request: FastifyRequest): PublishOptions => {
    const traceparent = request.headers['traceparent']
    return typeof traceparent === 'string' ? { traceparent } : {}
  }

  const failed = (request: FastifyRequest, reply: FastifyReply, eventType: string, error: unknown) => {
    const answer = publishProblem(error, retryAfter)
    request.log.warn(
      { requestId: reply.getHeader(REQUEST_ID), eventType, status: answer.status, err: error },
      'publish failed',
    )
    return answer
  }

  await app.register(async (scope) => {
    acceptJsonOnly(scope, bodyLimit)

    scope.setErrorHandler((error, request, reply) => {
      if (error instanceof JsonBodyError) {
        return send(
          reply,
          problem(
            400,
            'invalid_json',
            error.message,
            error.position === undefined ? {} : { position: error.position },
          ),
        )
      }
      const answer = problemFor(error, { retryAfterSeconds: retryAfter })
      if (answer.status >= 500) request.log.error({ err: error }, 'ingest request failed')
      return send(reply, answer)
    })

    scope.addHook('onResponse', async (request, reply) => {
      const eventType = (request.params as Partial<Params> | undefined)?.eventType
      if (eventType === undefined || request.method !== 'POST') return
      metrics?.request(served.has(eventType) ? eventType : 'unknown', reply.statusCode)
    })

    scope.get('/openapi.json', async () => {
      openApi ??= openApiDocument(known as EventType[])
      return openApi
    })

    scope.post('/v1/events/:eventType', { onRequest: gate }, async (request, reply) => {
      const eventType = (request.params as Params).eventType as EventType
      const conversion = jsonToEvent(eventType, request.body)
      if (!conversion.ok) return send(reply, invalidEvent(eventType, conversion.errors))
      try {
        const stored = await publish(eventType, conversion.event, traceOf(request))
        return reply.code(202).send({ eventId: conversion.event.eventId, ...stored })
      } catch (error) {
        return send(reply, failed(request, reply, eventType, error))
      }
    })

    scope.post('/v1/events/:eventType/batch', { onRequest: gate }, async (request, reply) => {
      const eventType = (request.params as Params).eventType as EventType
      const items = request.body
      if (!Array.isArray(items) || items.length === 0) {
        return send(reply, problem(400, 'invalid_batch', 'a batch is a non-empty JSON array of events'))
      }
      if (items.length > maxBatchItems) {
        return send(
          reply,
          problem(
            413,
            'batch_too_large',
            `a batch holds at most ${maxBatchItems} events, got ${items.length}`,
            {
              maxBatchItems,
            },
          ),
        )
      }
      // All or nothing for validation: one bad item and nothing is published.
      const events: Array<EventTypeMap[EventType]> = []
      const errors: FieldError[] = []
      for (const [index, item] of items.entries()) {
        const conversion = jsonToEvent(eventType, item)
        if (conversion.ok) events.push(conversion.event)
        else {
          for (const error of conversion.errors) {
            const path = error.path === '(body)' ? `[${index}]` : `[${index}].${error.path}`
            errors.push({ ...error, path })
          }
        }
      }
      if (errors.length > 0) return send(reply, invalidEvent(eventType, errors))
      const trace = traceOf(request)
      const outcomes = await Promise.allSettled(events.map((event) => publish(eventType, event, trace)))
      let firstFailure: Problem | undefined
      const results = outcomes.map((outcome, index) => {
        const eventId = events[index]!.eventId
        if (outcome.status === 'fulfilled') return { index, status: 202, eventId, ...outcome.value }
        // One log line per batch, not one per item: a broker outage fails them all alike.
        const answer = firstFailure
          ? publishProblem(outcome.reason, retryAfter)
          : failed(request, reply, eventType, outcome.reason)
        firstFailure ??= answer
        return { index, status: answer.status, eventId, error: answer.error, message: answer.message }
      })
      if (firstFailure === undefined) return reply.code(202).send({ results })
      const failure = firstFailure as Problem
      if (failure.retryAfter !== undefined) reply.header('retry-after', String(failure.retryAfter))
      const allFailed = results.every((result) => result.status !== 202)
      if (!allFailed) return reply.code(207).send({ results })
      return reply.code(failure.status).send({
        error: failure.error,
        message: `none of the ${results.length} events was published: ${failure.message}`,
        requestId: reply.getHeader(REQUEST_ID),
        results,
      })
    })
  })
}
