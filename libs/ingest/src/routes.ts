import type { EventType, EventTypeMap } from '@event-backbone/catalog'
import { trace } from '@opentelemetry/api'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { PublishOptions } from '#libs/publisher'
import { mayPublish } from './api-keys.ts'
import { registerCloudEventRoutes } from './cloudevents/routes.ts'
import { GatewayCore, type IngestOptions, REQUEST_ID, requestTraceparent, send } from './gateway-core.ts'
import { invalidEvent, type Problem, problem, publishProblem } from './http-errors.ts'
import { acceptJsonOnly } from './json-body.ts'
import { type FieldError, jsonToEvent } from './json-to-event.ts'
import { openApiDocument } from './openapi.ts'

export { INGEST_DEFAULTS, type IngestOptions } from './gateway-core.ts'

interface Params {
  readonly eventType: string
}

/**
 * Registers `POST /v1/events/:eventType`, `POST /v1/events/:eventType/batch`, the CloudEvents
 * route `POST /v1/cloudevents` and `GET /openapi.json`, each set in its own fastify scope (their
 * body parsers, limits and error handler do not leak to the service's other routes).
 * docs/ingest-gateway.md describes the contract.
 */
export async function registerIngestRoutes(app: FastifyInstance, options: IngestOptions): Promise<void> {
  const core = new GatewayCore(options)
  const { served, known, bodyLimit, maxBatchItems, retryAfter, metrics } = core
  let openApi: Record<string, unknown> | undefined

  // Who (and how often), then which type, then may they: none of it reads the body. A callback
  // hook, not an async one: it runs on every request, and an async hook costs a promise each. A
  // hook that has sent its answer does not call done.
  const gate = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const key = core.authenticate(request, reply)
    if (key === undefined) return
    const { eventType } = request.params as Params
    if (!served.has(eventType)) {
      send(
        reply,
        problem(404, 'unknown_event_type', `unknown event type ${JSON.stringify(eventType)}`, {
          eventType,
          knownEventTypes: known,
        }),
      )
      return
    }
    if (!mayPublish(key, eventType)) {
      send(
        reply,
        problem(403, 'forbidden', `the API key "${key.name}" may not publish ${eventType}`, { eventType }),
      )
      return
    }
    const trace = requestTraceparent(request)
    if ('status' in trace) {
      send(reply, trace)
      return
    }
    done()
  }

  const publish = (eventType: EventType, event: EventTypeMap[EventType], publishOptions: PublishOptions) =>
    core.publish(eventType, event, publishOptions)

  const traceOf = (request: FastifyRequest): PublishOptions => {
    // A traced request's server span already continues the caller's traceparent, and the
    // publish span is its child: passing the header on would skip the request span.
    if (trace.getActiveSpan()?.isRecording()) return {}
    const traceparent = request.headers['traceparent']
    return typeof traceparent === 'string' ? { traceparent } : {}
  }

  const failed = (request: FastifyRequest, reply: FastifyReply, eventType: string, error: unknown) =>
    core.failed(request, reply, eventType, error)

  await app.register(async (scope) => {
    acceptJsonOnly(scope, bodyLimit)

    scope.setErrorHandler(core.errorHandler)

    scope.addHook('onResponse', (request, reply, done) => {
      const eventType = (request.params as Partial<Params> | undefined)?.eventType
      if (eventType !== undefined && request.method === 'POST')
        metrics?.request(served.has(eventType) ? eventType : 'unknown', reply.statusCode)
      done()
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
        request.log.debug({ eventType, eventId: conversion.event.eventId, ...stored }, 'event published')
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

  await registerCloudEventRoutes(app, core)
}
