import { context, isSpanContextValid, trace } from '@opentelemetry/api'

/** The log fields of a span, named as the OpenTelemetry log data model names them. */
export interface TraceLogFields {
  readonly trace_id?: string
  readonly span_id?: string
  readonly trace_flags?: string
}

const none: TraceLogFields = Object.freeze({})

/**
 * A pino `mixin`: every line logged while a span is active carries its trace and span ids, so a
 * log search by trace id finds what each service said about one event. Without a registered
 * context manager the active context is always the empty root, and this returns the shared empty
 * object: no allocation on the hot path of a service that does not trace.
 */
export function traceLogFields(): TraceLogFields {
  const span = trace.getSpan(context.active())
  if (span === undefined) return none
  const spanContext = span.spanContext()
  if (!isSpanContextValid(spanContext)) return none
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  }
}
