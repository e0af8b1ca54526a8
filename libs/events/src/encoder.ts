import { catalogEntry, type EventTypeMap, eventKey } from '@event-backbone/catalog'
import type { EventSerde } from '@event-backbone/serde'
import type { EncodedEvent, EventEncoder } from '#libs/publisher'

/**
 * The publisher's encoder backed by the catalog: topic by event type, key from the catalog's key
 * field, value in Avro with the Confluent wire format (schema registered once per type).
 */
export function catalogEncoder(serde: EventSerde): EventEncoder<EventTypeMap> {
  return {
    async encode(eventType, event): Promise<EncodedEvent> {
      return {
        topic: catalogEntry(eventType).topic,
        key: eventKey(eventType, event),
        value: await serde.encodeSyncIfCached(eventType, event),
      }
    },
  }
}
