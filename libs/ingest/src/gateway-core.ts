import { performance } from 'node:perf_hooks'
import { eventTypes as catalogEventTypes, type EventType, type EventTypeMap } from '@event-backbone/catalog'
import { PublishTimeoutError } from '@event-backbone/errors'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { Registry } from 'prom-client'
import { type Publisher, type PublishOptions, type PublishResult, parseTraceparent } from '#libs/publisher'
import { problemFor, type Rate, RateLimiter, REQUEST_ID_HEADER, sendProblem } from '#libs/service'
import { type ApiKey, findApiKey, presentedKey } from './api-keys.ts'
import { Deadlines } from './deadlines.ts'
import { type Problem, problem, publishProblem } from './http-errors.ts'
import { JsonBodyError } from './json-body.ts'
import { type IngestMetrics, ingestMetrics } from './metrics.ts'

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

export const REQUEST_ID = REQUEST_ID_HEADER
/** The service kit's one error shape (docs/service-kit.md): `{ error, message, requestId, code?, ...details }`. */
export const send = sendProblem

/**
 * What the JSON routes and the CloudEvents route share: who may call (API keys, rate limits),
 * publishing with a deadline and metrics, and one error shape. One instance per gateway, so the
 * two route sets count the same keys against the same limits.
 */
export class GatewayCore {
  readonly served: ReadonlySet<string>
  readonly known: readonly EventType[]
  readonly bodyLimit: number
  readonly maxBatchItems: number
  readonly retryAfter: number
  readonly metrics: IngestMetrics | undefined
  readonly #options: IngestOptions
  readonly #publishTimeoutMs: number
  readonly #deadlines: Deadlines
  readonly #keyLimits: RateLimiter
  readonly #failureLimits: RateLimiter | undefined

  constructor(options: IngestOptions) {
    this.#options = options
    this.known = [...(options.eventTypes ?? catalogEventTypes())]
    this.served = new Set<string>(this.known)
    this.bodyLimit = options.bodyLimit ?? INGEST_DEFAULTS.bodyLimit
    this.maxBatchItems = options.maxBatchItems ?? INGEST_DEFAULTS.maxBatchItems
    this.retryAfter = options.retryAfterSeconds ?? INGEST_DEFAULTS.retryAfterSeconds
    this.#publishTimeoutMs = options.publishTimeoutMs ?? INGEST_DEFAULTS.publishTimeoutMs
    this.#deadlines = new Deadlines(this.#publishTimeoutMs)
    this.metrics = options.metrics ? ingestMetrics(options.metrics) : undefined
    this.#keyLimits = new RateLimiter(options.rateLimit ?? { perSecond: 1, burst: 1 })
    this.#failureLimits = options.authFailureLimit ? new RateLimiter(options.authFailureLimit) : undefined
  }

  /**
   * The caller's API key, or undefined once a 401 or 429 has been sent. Cheapest checks first,
   * none of which reads the body. (The answer's `x-request-id` comes from the service kit's hook,
   * registerServiceHttpBasics, which every app serving these routes registers.)
   */
  authenticate(request: FastifyRequest, reply: FastifyReply): ApiKey | undefined {
    // An address that failed too often is refused before its key is even looked at: answering
    // a valid key normally would tell a guesser when it has found one.
    const blocked = this.#failureLimits?.check(request.ip)
    if (blocked && !blocked.ok) {
      send(
        reply,
        tooMany(blocked.retryAfterSeconds, 'too many failed authentications from this address; retry later'),
      )
      return undefined
    }
    const unauthorized = (message: string) => {
      this.#failureLimits?.take(request.ip)
      send(reply, problem(401, 'unauthorized', message))
      return undefined
    }
    const secret = presentedKey(request.headers)
    if (secret === undefined) {
      return unauthorized('an API key is required: send Authorization: Bearer <key> or x-api-key')
    }
    const key = findApiKey(this.#options.keys, secret)
    if (key === undefined) return unauthorized('the API key is not valid')
    const keyRate = key.rate ?? this.#options.rateLimit
    if (keyRate) {
      const admitted = this.#keyLimits.take(key.name, 1, keyRate)
      if (!admitted.ok) {
        send(
          reply,
          tooMany(
            admitted.retryAfterSeconds,
            `the API key "${key.name}" is over its rate limit; retry later`,
          ),
        )
        return undefined
      }
    }
    return key
  }

  /** Publishes with a deadline: a 503 is better than a client whose request hangs for minutes. */
  publish(
    eventType: EventType,
    event: EventTypeMap[EventType],
    publishOptions: PublishOptions,
  ): Promise<PublishResult> {
    const started = performance.now()
    const metrics = this.metrics
    const publishing = this.#options.publisher.publish(eventType, event as never, publishOptions)
    return this.#deadlines
      .bound(
        publishing,
        () =>
          new PublishTimeoutError(
            `no acknowledgement within ${this.#publishTimeoutMs} ms; the event may still be stored`,
            { context: { eventType } },
          ),
      )
      .then(
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

  /** The answer to a failed publish, logged once. */
  failed(request: FastifyRequest, reply: FastifyReply, eventType: string, error: unknown): Problem {
    const answer = publishProblem(error, this.retryAfter)
    request.log.warn(
      { requestId: reply.getHeader(REQUEST_ID), eventType, status: answer.status, err: error },
      'publish failed',
    )
    return answer
  }

  /** A scope's error handler: body parsing and fastify's own errors in the gateway's shape. */
  readonly errorHandler = (
    error: FastifyError | JsonBodyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ) => {
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
    const answer = problemFor(error, { retryAfterSeconds: this.retryAfter })
    if (answer.status >= 500) request.log.error({ err: error }, 'ingest request failed')
    return send(reply, answer)
  }
}

function tooMany(retryAfterSeconds: number, message: string): Problem {
  return { ...problem(429, 'rate_limited', message), retryAfter: retryAfterSeconds }
}

/** The `traceparent` header, or a 400 problem when it is there but not valid W3C trace context. */
export function requestTraceparent(request: FastifyRequest): { traceparent?: string } | Problem {
  const traceparent = request.headers['traceparent']
  if (traceparent === undefined) return {}
  if (typeof traceparent !== 'string' || !parseTraceparent(traceparent)) {
    return problem(400, 'invalid_traceparent', 'the traceparent header is not a valid W3C traceparent', {
      header: 'traceparent',
    })
  }
  return { traceparent }
}
