import { trace } from '@opentelemetry/api'
import { CONSTANTS } from 'cloudevents'
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify'
import type { ApiKey } from '../api-keys.ts'
import { type GatewayCore, REQUEST_ID, requestTraceparent, send } from '../gateway-core.ts'
import { type Problem, problem, publishProblem } from '../http-errors.ts'
import { acceptJson } from '../json-body.ts'
import { binaryEnvelope, type Envelope, mediaType, structuredEnvelope } from './envelope.ts'
import { CLOUDEVENTS_ROUTE } from './route-path.ts'
import { cloudEventToEvent, type Ingestible, type Mapping, type MappingContext } from './to-event.ts'

const keys = new WeakMap<FastifyRequest, ApiKey>()
const typeLabel = new WeakMap<FastifyRequest, string>()

/** Every body this route takes is JSON text: binary-mode data, one structured event, or a batch. */
function acceptCloudEvents(scope: FastifyInstance, bodyLimit: number): void {
  // JSON and every `+json` type (structured, batch, application/foo+json data).
  acceptJson(scope, bodyLimit, /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i, 'a CloudEvent as JSON')
}

/**
 * `POST /v1/cloudevents`: CloudEvents over HTTP (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md),
 * mapped to catalog events and published with the JSON routes' guarantees. The content type picks
 * the mode: `application/cloudevents+json` structured, `application/cloudevents-batch+json` a
 * batch, any other JSON type binary (`ce-*` headers, the body is the data).
 */
export async function registerCloudEventRoutes(app: FastifyInstance, core: GatewayCore): Promise<void> {
  await app.register(async (scope) => {
    acceptCloudEvents(scope, core.bodyLimit)
    scope.setErrorHandler((error, request, reply) => {
      if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        const type = request.headers['content-type']
        return send(
          reply,
          problem(
            415,
            'unsupported_media_type',
            `content type ${JSON.stringify(type ?? '')} is not taken: send application/cloudevents+json, application/cloudevents-batch+json, or JSON data (application/json) with ce-* headers`,
          ),
        )
      }
      return core.errorHandler(error as FastifyError, request, reply)
    })
    // Callback hooks, not async ones: they run on every request (see the JSON routes' gate).
    scope.addHook('onResponse', (request, reply, done) => {
      if (request.method === 'POST')
        core.metrics?.request(typeLabel.get(request) ?? 'unknown', reply.statusCode)
      done()
    })

    const authenticate = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const key = core.authenticate(request, reply)
      if (key === undefined) return
      keys.set(request, key)
      const trace = requestTraceparent(request)
      if ('status' in trace) {
        send(reply, trace)
        return
      }
      done()
    }

    scope.post(CLOUDEVENTS_ROUTE, { onRequest: authenticate }, async (request, reply) => {
      const context: MappingContext = {
        key: keys.get(request)!,
        served: core.served,
        // A traced request's server span already continues the header's trace; the publish span is its child.
        traceparent: trace.getActiveSpan()?.isRecording()
          ? undefined
          : (request.headers['traceparent'] as string | undefined),
        receivedAt: new Date(),
      }
      const mode = mediaType(request.headers['content-type'])
      if (mode === CONSTANTS.MIME_CE_BATCH) return batch(core, request, reply, context)
      const envelope: Envelope =
        mode === CONSTANTS.MIME_CE_JSON
          ? structuredEnvelope(request.body)
          : binaryEnvelope(request.headers, request.body)
      if (!envelope.ok) return send(reply, envelope.problem)
      const mapped = cloudEventToEvent(envelope, context)
      if (!mapped.ok) return send(reply, mapped.problem)
      const { eventType, event, options } = mapped.value
      typeLabel.set(request, eventType)
      try {
        const stored = await core.publish(eventType, event, options)
        return reply.code(202).send({ id: envelope.event.id, eventId: event.eventId, eventType, ...stored })
      } catch (error) {
        return send(reply, core.failed(request, reply, eventType, error))
      }
    })
  })
}

function itemProblem(index: number, answer: Problem): Problem {
  return { ...answer, message: `item [${index}]: ${answer.message}`, details: { ...answer.details, index } }
}

/** A batch: all or nothing for validation and scope, then one outcome per event (202, 207 or 5xx). */
async function batch(
  core: GatewayCore,
  request: FastifyRequest,
  reply: FastifyReply,
  context: MappingContext,
): Promise<FastifyReply> {
  typeLabel.set(request, 'cloudevents-batch')
  const items = request.body
  if (!Array.isArray(items) || items.length === 0) {
    return send(
      reply,
      problem(400, 'invalid_batch', 'a CloudEvents batch is a non-empty JSON array of structured events'),
    )
  }
  if (items.length > core.maxBatchItems) {
    return send(
      reply,
      problem(
        413,
        'batch_too_large',
        `a batch holds at most ${core.maxBatchItems} events, got ${items.length}`,
        {
          maxBatchItems: core.maxBatchItems,
        },
      ),
    )
  }
  const accepted: Array<Ingestible & { readonly id: string }> = []
  for (const [index, item] of items.entries()) {
    const envelope = structuredEnvelope(item)
    if (!envelope.ok) return send(reply, itemProblem(index, envelope.problem))
    const mapped: Mapping = cloudEventToEvent(envelope, context)
    if (!mapped.ok) return send(reply, itemProblem(index, mapped.problem))
    accepted.push({ ...mapped.value, id: envelope.event.id })
  }
  const outcomes = await Promise.allSettled(
    accepted.map((one) => core.publish(one.eventType, one.event, one.options)),
  )
  let firstFailure: Problem | undefined
  const results = outcomes.map((outcome, index) => {
    const { id, eventType } = accepted[index]!
    if (outcome.status === 'fulfilled')
      return { index, status: 202, id, eventId: id, eventType, ...outcome.value }
    // One log line per batch, not one per item: a broker outage fails them all alike.
    const answer = firstFailure
      ? publishProblem(outcome.reason, core.retryAfter)
      : core.failed(request, reply, eventType, outcome.reason)
    firstFailure ??= answer
    return {
      index,
      status: answer.status,
      id,
      eventId: id,
      eventType,
      error: answer.error,
      message: answer.message,
    }
  })
  if (firstFailure === undefined) return reply.code(202).send({ results })
  const failure = firstFailure as Problem
  if (failure.retryAfter !== undefined) reply.header('retry-after', String(failure.retryAfter))
  if (results.some((result) => result.status === 202)) return reply.code(207).send({ results })
  return reply.code(failure.status).send({
    error: failure.error,
    message: `none of the ${results.length} events was published: ${failure.message}`,
    requestId: reply.getHeader(REQUEST_ID),
    results,
  })
}
