/**
 * OpenTelemetry semantic conventions for messaging spans (Kafka), as of semantic-conventions 1.45.
 * The messaging attributes are still "development" there, so, as the OTel JS docs advise, they are
 * copied here rather than imported from the package's unstable `incubating` entry point.
 * docs/tracing.md lists the spans and their attributes.
 */
export const MessagingAttr = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  partition: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  messageKey: 'messaging.kafka.message.key',
  offset: 'messaging.kafka.offset',
  batchCount: 'messaging.batch.message_count',
} as const

/** `messaging.operation.type` values: "send" replaced "publish" in semantic-conventions 1.28. */
export const MessagingOperation = {
  send: 'send',
  process: 'process',
} as const

/**
 * The backbone's own span and event attributes, namespaced `backbone.` (not `eb.`: that prefix
 * is the wire contract's, for record headers).
 */
export const BackboneAttr = {
  eventType: 'backbone.event.type',
  attempt: 'backbone.attempt',
  retryTier: 'backbone.retry.tier',
  retryKind: 'backbone.retry.kind',
  stage: 'backbone.stage',
  dueAt: 'backbone.retry.due_at',
  replayId: 'backbone.replay.id',
  replayBy: 'backbone.replay.by',
  replaySource: 'backbone.replay.source',
  replayTarget: 'backbone.replay.target',
  replayRecords: 'backbone.replay.records',
  replayStatus: 'backbone.replay.status',
  link: 'backbone.link',
  trigger: 'backbone.trigger',
} as const

export const KAFKA = 'kafka'

/** Semantic-convention exception attributes, stable. */
export const ExceptionAttr = {
  type: 'exception.type',
  message: 'exception.message',
  /** The error's class in low cardinality: the catalogue code (EB_…) when it has one. */
  errorType: 'error.type',
} as const

/** The exception attributes of an error, for a span event or status. */
export function exceptionAttributes(error: unknown): Record<string, string> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return {
      [ExceptionAttr.type]: error.name,
      [ExceptionAttr.message]: error.message,
      [ExceptionAttr.errorType]: typeof code === 'string' ? code : error.name,
    }
  }
  return {
    [ExceptionAttr.type]: typeof error,
    [ExceptionAttr.message]: String(error),
    [ExceptionAttr.errorType]: '_OTHER',
  }
}
