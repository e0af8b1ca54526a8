import { catalogEntry, type EventType, type Topic } from '@event-backbone/catalog'
import type { EventSerde } from '@event-backbone/serde'
import type { Agent } from 'undici'
import type { AnySubscription, PolicyInput } from '#libs/consumer'
import type { Trigger } from './config/types.ts'
import {
  type CloudEventAttributes,
  cloudEventAttributes,
  type DeliveryRecord,
} from './delivery/cloudevent.ts'
import { matchesFilter } from './delivery/filter.ts'
import { buildRequest } from './delivery/formats.ts'
import { signatureHeaders } from './delivery/signing.ts'
import { tracedSend } from './delivery/traced-send.ts'
import type { TriggerMetrics } from './metrics/trigger-metrics.ts'

/** What a trigger's deliveries need beyond the trigger: resolved from the environment at start. */
export interface DeliveryDeps {
  readonly serde: EventSerde
  readonly agent: Agent
  readonly metrics: TriggerMetrics
  readonly registryUrl: string
  readonly bootstrapServers: string
  /** Standard Webhooks keys (several while a secret rotates); none: requests are not signed. */
  readonly secrets: readonly Buffer[]
  /** Header values read from the variables the file names. */
  readonly headers: Readonly<Record<string, string>>
}

interface Decoded {
  readonly type: EventType
  readonly event: Readonly<Record<string, unknown>>
  readonly schemaId: number | undefined
  attributes?: CloudEventAttributes
}

/**
 * The consumer runtime's policy for a trigger: the runtime retries in place (its back-off honours
 * a `Retry-After` carried by `DeliveryFailedError`), then through the trigger group's retry topics,
 * then dead-letters; `DeliveryRejectedError` (permanent 4xx) is dead-lettered at once.
 */
export function triggerPolicy(trigger: Trigger): PolicyInput {
  return {
    guarantee: 'at-least-once',
    ordering: trigger.ordering,
    maxInFlight: trigger.concurrency,
    maxInFlightPerPartition: trigger.concurrency,
    retry: {
      attempts: trigger.retry.attempts,
      initialDelay: trigger.retry.initialDelayMs,
      multiplier: trigger.retry.multiplier,
      maxDelay: trigger.retry.maxDelayMs,
      jitter: trigger.retry.jitter,
    },
    retryTopics: trigger.retryTopicsMs,
    deadLetter: trigger.deadLetter,
  }
}

/** One subscription per topic the trigger's event types live on (a topic may carry several of them). */
export function triggerSubscriptions(trigger: Trigger, deps: DeliveryDeps): AnySubscription[] {
  const byTopic = new Map<Topic, Set<string>>()
  for (const type of trigger.events) {
    const { topic } = catalogEntry(type)
    byTopic.set(topic, (byTopic.get(topic) ?? new Set()).add(type))
  }
  const policy = triggerPolicy(trigger)
  return [...byTopic].map(([topic, types]) => {
    const toRecord = (
      decoded: Decoded,
      record: Omit<DeliveryRecord, 'eventType' | 'event' | 'schemaId'>,
    ) => ({
      ...record,
      eventType: decoded.type,
      event: decoded.event,
      ...(decoded.schemaId === undefined ? {} : { schemaId: decoded.schemaId }),
    })
    const subscription: AnySubscription = {
      topic,
      policy,
      decode: {
        decode: (bytes, record) => {
          const schemaId = bytes.length >= 5 && bytes[0] === 0 ? bytes.readInt32BE(1) : undefined
          const context = { topic: record.sourceTopic, partition: record.partition, offset: record.offset }
          const wrap = (decoded: { type: EventType; value: unknown }): Decoded => ({
            type: decoded.type,
            event: decoded.value as Record<string, unknown>,
            schemaId,
          })
          const decoded = deps.serde.decodeForTopic(topic, bytes, context)
          return decoded instanceof Promise ? decoded.then(wrap) : wrap(decoded)
        },
      },
      filter: (value: Decoded, record) => {
        if (!types.has(value.type)) return false
        value.attributes = cloudEventAttributes(toRecord(value, record), deps.registryUrl)
        const pass = matchesFilter(trigger.filter, value.attributes, value.event)
        if (!pass) deps.metrics.filtered(trigger)
        return pass
      },
      handler: async (value: Decoded, ctx) => {
        const record = toRecord(value, ctx)
        const attributes = value.attributes ?? cloudEventAttributes(record, deps.registryUrl)
        const request = buildRequest(trigger.format, attributes, record, deps.bootstrapServers)
        const headers = {
          ...deps.headers,
          ...request.headers,
          ...(deps.secrets.length > 0 ? signatureHeaders(deps.secrets, attributes['id']!, request.body) : {}),
        }
        deps.metrics.started(trigger)
        const result = await tracedSend(deps.agent, trigger.url, headers, request.body, trigger.timeoutMs, {
          trigger: trigger.name,
          topic: ctx.topic,
          partition: ctx.partition,
          offset: ctx.offset,
          attempt: ctx.attempt,
        })
        deps.metrics.finished(trigger, result.outcomeClass, result.durationMs)
        if (result.error) throw result.error
      },
    }
    return subscription
  })
}
