import {
  catalogEntry,
  type EventOf,
  type EventType,
  type EventTypeOfTopic,
  eventTypesForTopic,
  type Topic,
  type TopicEvent,
} from '@event-backbone/catalog'
import { UnknownEventTypeError } from '@event-backbone/errors'
import type { EventSerde } from '@event-backbone/serde'
import type { Handler, PolicyInput, Subscription } from '#libs/consumer'

// What onEvent's decoder returns for a record of another event type of a multi-type topic.
const OTHER_TYPE = Symbol('other event type')

/**
 * A typed subscription by event type: the topic comes from the catalog and the handler receives
 * the catalog's TypeScript type of the event, decoded from Avro (records written with an older
 * compatible schema are resolved to the current one). Undecodable records fail in the decoder with
 * non-retriable serde errors, which the runtime dead-letters at once. On a topic that carries
 * several event types, records of the other types are skipped like `onEvents` skips the types it
 * has no handler for (counted as filtered).
 */
export function onEvent<E extends EventType>(
  serde: EventSerde,
  eventType: E,
  handler: Handler<EventOf<E>>,
  policy?: PolicyInput,
  options: Pick<Subscription<EventOf<E>>, 'filter' | 'hooks'> = {},
): Subscription<EventOf<E>> {
  const topic = catalogEntry(eventType).topic
  const shared = {
    topic,
    handler,
    ...(policy === undefined ? {} : { policy }),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  }
  if (eventTypesForTopic(topic).length === 1) {
    return {
      ...shared,
      decode: {
        decode: (bytes, record) =>
          serde.decodeSyncIfCached(eventType, bytes, {
            topic: record.sourceTopic,
            partition: record.partition,
            offset: record.offset,
          }),
      },
      ...(options.filter ? { filter: options.filter } : {}),
    }
  }
  const userFilter = options.filter
  const pick = (event: { readonly type: string; readonly value: unknown }) =>
    (event.type === eventType ? event.value : OTHER_TYPE) as EventOf<E>
  return {
    ...shared,
    decode: {
      decode: (bytes, record) => {
        const decoded = serde.decodeForTopic(topic, bytes, {
          topic: record.sourceTopic,
          partition: record.partition,
          offset: record.offset,
        })
        return decoded instanceof Promise ? decoded.then(pick) : pick(decoded)
      },
    },
    filter: (value, record) =>
      (value as unknown) !== OTHER_TYPE && (userFilter === undefined || userFilter(value, record)),
  }
}

/** One handler per event type of a topic; a type without a handler is skipped by `onEvents`. */
export type TopicHandlers<T extends Topic> = {
  readonly [E in EventTypeOfTopic<T>]?: Handler<EventOf<E>>
}

/**
 * One subscription to a topic that carries several event types (docs/events.md): each record is
 * decoded as the event type its writer schema names and goes to that type's handler, typed as
 * that type. A record of a type of the topic that `handlers` does not handle is skipped through
 * the subscription's filter: counted in `eb_consumer_filtered_total`, its offset commits, nothing
 * is dead-lettered (the topic may carry types this group has no business with). A record whose
 * schema is no event type of the topic fails to decode and is dead-lettered.
 */
export function onEvents<T extends Topic>(
  serde: EventSerde,
  topic: T,
  handlers: TopicHandlers<T>,
  policy?: PolicyInput,
  options: Pick<Subscription<TopicEvent<T>>, 'filter' | 'hooks'> = {},
): Subscription<TopicEvent<T>> {
  const known = new Set<string>(eventTypesForTopic(topic))
  const handled = new Map<string, Handler<unknown>>()
  for (const [eventType, handler] of Object.entries(handlers)) {
    if (!known.has(eventType)) {
      throw new UnknownEventTypeError(
        `topic ${topic} does not carry ${eventType}; it carries ${[...known].join(', ')}`,
        { context: { topic, eventType } },
      )
    }
    if (typeof handler === 'function') handled.set(eventType, handler as Handler<unknown>)
  }
  if (handled.size === 0) {
    throw new UnknownEventTypeError(
      `a subscription to ${topic} needs a handler for at least one event type`,
      {
        context: { topic },
      },
    )
  }
  const userFilter = options.filter
  return {
    topic,
    decode: {
      decode: (bytes, record) =>
        serde.decodeForTopic(topic, bytes, {
          topic: record.sourceTopic,
          partition: record.partition,
          offset: record.offset,
        }),
    },
    // The filter runs first, so only handled types reach here.
    handler: (event, ctx) => handled.get(event.type)!(event.value, ctx),
    filter: (event, record) =>
      handled.has(event.type) && (userFilter === undefined || userFilter(event, record)),
    ...(policy === undefined ? {} : { policy }),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  }
}
