import { catalogEntry, type EventOf, type EventType } from '@event-backbone/catalog'
import type { EventSerde } from '@event-backbone/serde'
import type { Handler, PolicyInput, Subscription } from '#libs/consumer'

/**
 * A typed subscription by event type: the topic comes from the catalog and the handler receives
 * the catalog's TypeScript type of the event, decoded from Avro (records written with an older
 * compatible schema are resolved to the current one). Undecodable records fail in the decoder with
 * non-retriable serde errors, which the runtime dead-letters at once.
 */
export function onEvent<E extends EventType>(
  serde: EventSerde,
  eventType: E,
  handler: Handler<EventOf<E>>,
  policy?: PolicyInput,
  options: Pick<Subscription<EventOf<E>>, 'filter' | 'hooks'> = {},
): Subscription<EventOf<E>> {
  return {
    topic: catalogEntry(eventType).topic,
    decode: {
      decode: (bytes, record) =>
        serde.decodeSyncIfCached(eventType, bytes, {
          topic: record.sourceTopic,
          partition: record.partition,
          offset: record.offset,
        }),
    },
    handler,
    ...(policy === undefined ? {} : { policy }),
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
  }
}
