import { type EventType, eventTypes, schemaType } from '@event-backbone/catalog'
import { MAGIC_BYTE, PREFIX_LENGTH } from '@event-backbone/serde'
import { AVRO_CONTENT_TYPE, schemaReference } from '#libs/kafka'
import type { EventFacts } from '#libs/publisher'

// Built once: the Avro full names never change at run time, and the gateway looks one up per event.
let byType: Map<EventType, string> | undefined
let byName: Map<string, EventType> | undefined

function tables(): { byType: Map<EventType, string>; byName: Map<string, EventType> } {
  if (!byType || !byName) {
    byType = new Map()
    byName = new Map()
    for (const eventType of eventTypes()) {
      const fullName = schemaType(eventType).name ?? eventType
      byType.set(eventType, fullName)
      byName.set(fullName, eventType)
      byName.set(eventType, eventType)
    }
  }
  return { byType, byName }
}

/**
 * The CloudEvents `type` of a catalog event type: the Avro full name of its schema, for example
 * `dev.eventbackbone.events.PaymentConfirmed`, which is namespaced and reverse-DNS as CloudEvents
 * recommends, and is the name Confluent's serializers know the schema by.
 */
export function cloudEventType(eventType: EventType): string {
  return tables().byType.get(eventType) ?? eventType
}

/**
 * The catalog event type a CloudEvents `type` names: the Avro full name, or the catalog's short
 * name (`PaymentConfirmed`), which clients of the JSON routes already know. Undefined otherwise.
 */
export function eventTypeOfCloudEvent(type: string): EventType | undefined {
  return tables().byName.get(type)
}

/** The schema id of a Confluent-framed value, or undefined when the value is not framed. */
export function framedSchemaId(value: Buffer): number | undefined {
  return value.length >= PREFIX_LENGTH && value[0] === MAGIC_BYTE ? value.readUInt32BE(1) : undefined
}

interface CatalogEvent {
  readonly eventId: string
  readonly occurredAt: Date | number
}

/**
 * The CloudEvents facts of a catalog event written as `value`. Every catalog event has `eventId`
 * and `occurredAt` (docs/schemas.md); a value that is not framed gets no facts, so no binding.
 */
export function catalogEventFacts(
  eventType: EventType,
  event: CatalogEvent,
  value: Buffer,
  registryUrl: string | undefined,
): EventFacts | undefined {
  const schemaId = framedSchemaId(value)
  if (schemaId === undefined) return undefined
  return {
    id: event.eventId,
    type: cloudEventType(eventType),
    time: event.occurredAt,
    dataschema: schemaReference(schemaId, registryUrl),
    contentType: AVRO_CONTENT_TYPE,
  }
}
