import { catalogEntry, type EventTypeMap, eventKey } from '@event-backbone/catalog'
import type { EventSerde } from '@event-backbone/serde'
import type { EncodedEvent, EventEncoder } from '#libs/publisher'
import { catalogEventFacts } from './cloudevents.ts'

export interface CatalogEncoderOptions {
  /** The registry's URL, for `ce_dataschema`; without it the schema is named by a URN. */
  readonly registryUrl?: string
}

/**
 * The publisher's encoder backed by the catalog: topic by event type, key from the catalog's key
 * field, value in Avro with the Confluent wire format (schema registered once per type), and the
 * event's CloudEvents facts, so every record carries the CloudEvents Kafka binding.
 */
export function catalogEncoder(
  serde: EventSerde,
  options: CatalogEncoderOptions = {},
): EventEncoder<EventTypeMap> {
  const { registryUrl } = options
  return {
    async encode(eventType, event): Promise<EncodedEvent> {
      const value = await serde.encodeSyncIfCached(eventType, event)
      const cloudEvent = catalogEventFacts(eventType, event, value, registryUrl)
      return {
        topic: catalogEntry(eventType).topic,
        key: eventKey(eventType, event),
        value,
        ...(cloudEvent && { cloudEvent }),
      }
    },
  }
}
