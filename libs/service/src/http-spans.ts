import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions'
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  RouteOptions,
} from 'fastify'
import { activeTracer, exceptionAttributes } from '#libs/kafka'

const spanOf = Symbol('event-backbone.http-span')
type Traced = FastifyRequest & { [spanOf]?: Context }

/**
 * An HTTP server span per request to the routes registered after this call (the service's own
 * API, not the ops routes that Prometheus and probes poll), named "<METHOD> <route>" with the
 * stable HTTP semantic-convention attributes. The span continues the caller's `traceparent` and
 * is the active span while the route handler runs, so the handler's publishes and log lines
 * belong to it. A no-op unless a trace SDK is registered (libs/tracing).
 */
export function traceRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!activeTracer()) return
    route.onRequest = [startSpan, ...asArray(route.onRequest)]
    route.onResponse = [...asArray(route.onResponse), endSpan]
    route.onError = [...asArray(route.onError), recordError]
    const handler = route.handler
    route.handler = function traced(this: FastifyInstance, request, reply) {
      const active = (request as Traced)[spanOf]
      return active ? context.with(active, handler, this, request, reply) : handler.call(this, request, reply)
    }
  })
}

function asArray<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]
}

const startSpan: onRequestHookHandler = (request, _reply, done) => {
  const tracer = activeTracer()
  if (tracer) {
    const route = request.routeOptions.url ?? request.url
    const parent = propagation.extract(ROOT_CONTEXT, request.headers)
    const userAgent = request.headers['user-agent']
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_HTTP_ROUTE]: route,
          [ATTR_URL_PATH]: request.url.split('?', 1)[0] ?? request.url,
          [ATTR_URL_SCHEME]: request.protocol,
          [ATTR_CLIENT_ADDRESS]: request.ip,
          ...(request.socket.localPort === undefined ? {} : { [ATTR_SERVER_PORT]: request.socket.localPort }),
          ...(typeof userAgent === 'string' ? { [ATTR_USER_AGENT_ORIGINAL]: userAgent } : {}),
        },
      },
      parent,
    )
    ;(request as Traced)[spanOf] = trace.setSpan(parent, span)
  }
  done()
}

function spanFor(request: FastifyRequest): Span | undefined {
  const active = (request as Traced)[spanOf]
  return active ? trace.getSpan(active) : undefined
}

function endSpan(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const span = spanFor(request)
  if (span) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode)
    // Server spans: only 5xx is the server's error; a 4xx is the client's (HTTP conventions).
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
    span.end()
  }
  done()
}

function recordError(request: FastifyRequest, _reply: FastifyReply, error: Error, done: () => void): void {
  spanFor(request)?.addEvent('exception', exceptionAttributes(error))
  done()
}
