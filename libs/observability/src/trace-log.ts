import { context, isSpanContextValid, trace } from '@opentelemetry/api'

/** The log fields of a span, named as the OpenTelemetry log data model names them. */
export interface TraceLogFields {
  readonly trace_id?: string
  readonly span_id?: string
  readonly trace_flags?: string
}

/**
 * A pino `mixin`: every line logged while a span is active carries its trace and span ids, so a
 * log search by trace id finds what each service said about one event. Without a registered
 * context manager the active context is always the empty root. The result must be a fresh object:
 * pino merges the line's own fields into it (a shared frozen one made it throw).
 */
export function traceLogFields(): TraceLogFields {
  const span = trace.getSpan(context.active())
  if (span === undefined) return {}
  const spanContext = span.spanContext()
  if (!isSpanContextValid(spanContext)) return {}
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  }
}
