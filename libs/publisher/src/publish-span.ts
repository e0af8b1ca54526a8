import { context, type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api'
import {
  BackboneAttr,
  contextFromTraceparent,
  exceptionAttributes,
  KAFKA,
  MessagingAttr,
  MessagingOperation,
  traceparentOf,
} from '#libs/kafka'
import type { PublishResult } from './types.ts'

/**
 * The producer span of one publish, "send <topic>" (semantic conventions for messaging). Its
 * parent is the caller's explicit traceparent, else the active span (the gateway's HTTP request,
 * a handler's process span); the record carries the span's own context, so whoever processes the
 * record continues the trace under it. The name gets its topic once the encoder has chosen one.
 */
export function startPublishSpan(
  tracer: Tracer,
  eventType: string,
  explicitTraceparent: string | undefined,
): { readonly span: Span; readonly traceparent: string | undefined } {
  const parent =
    explicitTraceparent === undefined ? context.active() : contextFromTraceparent(explicitTraceparent)
  const span = tracer.startSpan(
    MessagingOperation.send,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        [MessagingAttr.system]: KAFKA,
        [MessagingAttr.operationType]: MessagingOperation.send,
        [MessagingAttr.operationName]: MessagingOperation.send,
        [BackboneAttr.eventType]: eventType,
      },
    },
    parent,
  )
  return { span, traceparent: traceparentOf(span) }
}

/** Names the span after the record's topic and key, known once the event is encoded. */
export function describePublish(span: Span, topic: string, key: Buffer | string | null): void {
  span.updateName(`${MessagingOperation.send} ${topic}`)
  span.setAttribute(MessagingAttr.destination, topic)
  if (key !== null) {
    span.setAttribute(MessagingAttr.messageKey, typeof key === 'string' ? key : key.toString('utf8'))
  }
}

export function endPublishSpan(span: Span, outcome: { result: PublishResult } | { error: unknown }): void {
  if ('result' in outcome) {
    span.setAttribute(MessagingAttr.partition, String(outcome.result.partition))
    span.setAttribute(MessagingAttr.offset, Number(outcome.result.offset))
  } else {
    const attributes = exceptionAttributes(outcome.error)
    span.addEvent('exception', attributes)
    span.setStatus({ code: SpanStatusCode.ERROR, message: attributes['exception.message'] ?? '' })
  }
  span.end()
}
