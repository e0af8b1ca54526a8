import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import type { Agent } from 'undici'
import { activeTracer, BackboneAttr, exceptionAttributes } from '#libs/kafka'
import { OutcomeClass } from './outcome.ts'
import { type SendResult, send } from './send.ts'

/** OpenTelemetry HTTP client attributes (stable semantic conventions). */
const HttpAttr = {
  method: 'http.request.method',
  status: 'http.response.status_code',
  url: 'url.full',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
} as const

/**
 * `send`, inside an HTTP client span that is a child of the active process span (the consumer
 * runtime's), so one trace runs from the publisher through the trigger into the function. The
 * request carries that span's W3C `traceparent` (and `tracestate`) header for the function's own
 * spans; the CloudEvent's `traceparent` extension keeps the event's origin. Without a trace SDK it
 * is `send` itself.
 */
export async function tracedSend(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  details: Readonly<Record<string, unknown>> & { readonly trigger: string },
): Promise<SendResult> {
  const tracer = activeTracer()
  if (!tracer) return send(agent, url, headers, body, timeoutMs, details)
  const target = new URL(url)
  return tracer.startActiveSpan(
    'POST',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [HttpAttr.method]: 'POST',
        [HttpAttr.url]: `${target.origin}${target.pathname}`,
        [HttpAttr.serverAddress]: target.hostname,
        [HttpAttr.serverPort]: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
        [BackboneAttr.trigger]: details.trigger,
      },
    },
    async (span) => {
      const carrier: Record<string, string> = {}
      propagation.inject(context.active(), carrier)
      try {
        const result = await send(agent, url, { ...headers, ...carrier }, body, timeoutMs, details)
        if (result.status !== undefined) span.setAttribute(HttpAttr.status, result.status)
        if (result.outcomeClass !== OutcomeClass.success) {
          span.setAttribute(
            HttpAttr.errorType,
            result.status === undefined ? result.outcomeClass : String(result.status),
          )
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: result.error?.message ?? result.outcomeClass,
          })
          if (result.error) span.addEvent('exception', exceptionAttributes(result.error))
        }
        return result
      } finally {
        span.end()
      }
    },
  )
}
