import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'
import {
  BackboneAttr,
  contextFromHeaders,
  exceptionAttributes,
  KAFKA,
  MessagingAttr,
  MessagingOperation,
} from '#libs/kafka'
import { isThenable } from './handler-context.ts'

interface Traced {
  readonly groupId: string
  readonly sourceTopic: string
  readonly partition: number
  readonly message: { readonly key: Buffer | null; readonly offset: string; readonly headers?: object }
}

/**
 * Runs one record's processing inside a consumer span, "process <topic>". The span is a child of
 * the context the record carries (its `traceparent`): the messaging conventions allow the parent
 * for single-record processing and only then does one trace run from the gateway's request
 * through the publish to every consumer. Retries and dead-lettering become events on it
 * (`retryEvent`, `deadLetterEvent`), and what the handler emits carries its context.
 */
export function inProcessSpan<T>(tracer: Tracer, record: Traced, run: () => T | Promise<T>): T | Promise<T> {
  const parent = contextFromHeaders(record.message.headers as Parameters<typeof contextFromHeaders>[0])
  const span = tracer.startSpan(
    `${MessagingOperation.process} ${record.sourceTopic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        [MessagingAttr.system]: KAFKA,
        [MessagingAttr.operationType]: MessagingOperation.process,
        [MessagingAttr.operationName]: MessagingOperation.process,
        [MessagingAttr.destination]: record.sourceTopic,
        [MessagingAttr.partition]: String(record.partition),
        [MessagingAttr.offset]: Number(record.message.offset),
        [MessagingAttr.consumerGroup]: record.groupId,
        ...(record.message.key ? { [MessagingAttr.messageKey]: record.message.key.toString('utf8') } : {}),
      },
    },
    parent,
  )
  let result: T | Promise<T>
  try {
    result = context.with(trace.setSpan(parent, span), run)
  } catch (error) {
    failed(span, error)
    throw error
  }
  if (!isThenable(result)) {
    span.end()
    return result
  }
  return Promise.resolve(result).then(
    (value) => {
      span.end()
      return value
    },
    (error: unknown) => {
      failed(span, error)
      throw error
    },
  )
}

function failed(span: Span, error: unknown): void {
  const attributes = exceptionAttributes(error)
  span.addEvent('exception', attributes)
  span.setStatus({ code: SpanStatusCode.ERROR, message: attributes['exception.message'] ?? '' })
  span.end()
}

/** A failed attempt that will be retried, in place or through a retry topic, on the active span. */
export function retryEvent(
  kind: 'in-process' | 'topic',
  details: {
    readonly attempt: number
    readonly tier: number
    readonly error: unknown
    readonly topic?: string
  },
): void {
  const span = trace.getActiveSpan()
  if (!span?.isRecording()) return
  span.addEvent('retry', {
    [BackboneAttr.retryKind]: kind,
    [BackboneAttr.attempt]: details.attempt,
    [BackboneAttr.retryTier]: details.tier,
    ...(details.topic === undefined ? {} : { [MessagingAttr.destination]: details.topic }),
    ...exceptionAttributes(details.error),
  })
}

/** The record went to its dead-letter topic (or was dropped, dead-lettering off): an error. */
export function deadLetterEvent(details: {
  readonly stage: string
  readonly error: unknown
  readonly attempts: number
  readonly topic: string | undefined
}): void {
  const span = trace.getActiveSpan()
  if (!span?.isRecording()) return
  const attributes = exceptionAttributes(details.error)
  span.addEvent(details.topic === undefined ? 'dropped' : 'dead_letter', {
    [BackboneAttr.stage]: details.stage,
    [BackboneAttr.attempt]: details.attempts,
    ...(details.topic === undefined ? {} : { [MessagingAttr.destination]: details.topic }),
    ...attributes,
  })
  span.setStatus({ code: SpanStatusCode.ERROR, message: attributes['exception.message'] ?? '' })
}

/** A retry-tier record read before it is due: the partition waits, nothing is processed yet. */
export function deferredEvent(dueAt: number): void {
  const span = trace.getActiveSpan()
  if (span?.isRecording()) span.addEvent('deferred', { [BackboneAttr.dueAt]: new Date(dueAt).toISOString() })
}
