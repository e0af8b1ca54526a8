import {
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import type { IHeaders } from 'kafkajs'
import {
  activeTracer,
  BackboneAttr,
  contextFromHeaders,
  exceptionAttributes,
  KAFKA,
  MessagingAttr,
  MessagingOperation,
  TRACEPARENT_HEADER,
  traceparentOf,
} from '#libs/kafka'
import type { ReplayJobSpec, ReplayJobState } from './job.ts'

export interface ReplayTrace {
  /** Gives a replayed record a traceparent of its own, linked to the trace it failed in. */
  retrace(headers: IHeaders, original: IHeaders): void
  end(outcome: { state: ReplayJobState } | { error: unknown }): void
}

/**
 * One span per replay job run, "replay <dead-letter topic>", and under it a producer span per
 * replayed record, "send <target>", with a link to the record's original trace: a replay is a new
 * operation started by an operator, not a continuation of the failed one, so its records start a
 * trace of their own under the job (messaging conventions: links for a causal relation that is
 * not a parent). Undefined when no trace SDK is registered.
 */
export function traceReplay(spec: ReplayJobSpec, by: string): ReplayTrace | undefined {
  const tracer = activeTracer()
  if (!tracer) return undefined
  const job = tracer.startSpan(
    `replay ${spec.topic}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [BackboneAttr.replayId]: spec.id,
        [BackboneAttr.replayBy]: by,
        [MessagingAttr.system]: KAFKA,
        [BackboneAttr.replaySource]: spec.topic,
        [BackboneAttr.replayTarget]: spec.targetTopic,
      },
    },
    ROOT_CONTEXT,
  )
  const parent = trace.setSpan(ROOT_CONTEXT, job)
  return {
    retrace(headers, original) {
      const send = recordSpan(tracer, spec, parent, original)
      const traceparent = traceparentOf(send)
      if (traceparent !== undefined) headers[TRACEPARENT_HEADER] = traceparent
      send.end()
    },
    end(outcome) {
      if ('state' in outcome) {
        job.setAttribute(BackboneAttr.replayRecords, outcome.state.counts.replayed)
        job.setAttribute(BackboneAttr.replayStatus, outcome.state.status)
      } else failed(job, outcome.error)
      job.end()
    },
  }
}

function recordSpan(
  tracer: Tracer,
  spec: ReplayJobSpec,
  parent: ReturnType<typeof trace.setSpan>,
  original: IHeaders,
): Span {
  const from = trace.getSpanContext(contextFromHeaders(original))
  const links: Link[] = from ? [{ context: from, attributes: { [BackboneAttr.link]: 'replayed-from' } }] : []
  return tracer.startSpan(
    `${MessagingOperation.send} ${spec.targetTopic}`,
    {
      kind: SpanKind.PRODUCER,
      links,
      attributes: {
        [MessagingAttr.system]: KAFKA,
        [MessagingAttr.destination]: spec.targetTopic,
        [MessagingAttr.operationType]: MessagingOperation.send,
        [MessagingAttr.operationName]: MessagingOperation.send,
        [BackboneAttr.replayId]: spec.id,
      },
    },
    parent,
  )
}

function failed(span: Span, error: unknown): void {
  const attributes = exceptionAttributes(error)
  span.addEvent('exception', attributes)
  span.setStatus({ code: SpanStatusCode.ERROR, message: attributes['exception.message'] ?? '' })
}
