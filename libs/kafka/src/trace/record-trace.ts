import {
  type Context,
  context,
  type ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type TextMapGetter,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import { TRACEPARENT_HEADER } from '../wire/headers.ts'

const TRACER_NAME = 'event-backbone'
let tracer: Tracer | undefined

/**
 * The backbone's tracer once a trace SDK is registered (libs/tracing), else undefined: callers
 * then skip every span, so a process that does not trace pays one property read per record.
 */
export function activeTracer(): Tracer | undefined {
  if (tracer) return tracer
  // Duck-typed, not instanceof: the global provider may come from another copy of the API package
  // (its ESM and CommonJS builds are two classes), and the API shares one global across them.
  const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider> & TracerProvider
  tracer =
    typeof provider.getDelegateTracer === 'function'
      ? provider.getDelegateTracer(TRACER_NAME)
      : provider.getTracer(TRACER_NAME)
  return tracer
}

type HeaderValue = Buffer | string | ReadonlyArray<Buffer | string> | undefined
type Carrier = Readonly<Record<string, HeaderValue>> | undefined

function text(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('latin1')
  return text(value[0])
}

const kafkaHeaders: TextMapGetter<Carrier> = {
  keys: (carrier) => (carrier ? Object.keys(carrier) : []),
  get: (carrier, key) => text(carrier?.[key]),
}

/**
 * The trace context a Kafka record carries in its W3C headers (`traceparent`, `tracestate`), as a
 * parent for the span that processes it; the root context when it carries none.
 */
export function contextFromHeaders(headers: Carrier): Context {
  return propagation.extract(ROOT_CONTEXT, headers, kafkaHeaders)
}

/** The context whose parent is the given traceparent (a caller's explicit choice). */
export function contextFromTraceparent(traceparent: string): Context {
  return contextFromHeaders({ [TRACEPARENT_HEADER]: traceparent })
}

/** The traceparent that makes `span` the parent of whatever reads the record. */
export function traceparentOf(span: Span): string | undefined {
  const carrier: Record<string, string> = {}
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier)
  return carrier[TRACEPARENT_HEADER]
}

/** The traceparent of the active span (a handler's process span), when a recording one is active. */
export function activeTraceparent(): string | undefined {
  const span = trace.getSpan(context.active())
  return span?.isRecording() ? traceparentOf(span) : undefined
}
