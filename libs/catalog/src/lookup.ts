import { UnknownEventTypeError, UnknownTopicError } from '@event-backbone/errors'
import { type CatalogEntry, catalog } from './catalog.ts'
import type { Catalog, EventOf, EventType, EventTypeOfTopic, Topic } from './event-types.ts'

const names = Object.keys(catalog) as EventType[]
const byTopic = new Map<string, EventType[]>()
for (const name of names) {
  const onTopic = byTopic.get(catalog[name].topic)
  if (onTopic) onTopic.push(name)
  else byTopic.set(catalog[name].topic, [name])
}

/** Every event type in the catalog, in catalog order. */
export function eventTypes(): readonly EventType[] {
  return names
}

export function isEventType(name: string): name is EventType {
  return Object.hasOwn(catalog, name)
}

/** The catalog entry of an event type; throws UnknownEventTypeError for a name from outside. */
export function catalogEntry<E extends EventType>(eventType: E): Catalog[E] {
  if (!isEventType(eventType)) {
    throw new UnknownEventTypeError(
      `unknown event type ${JSON.stringify(eventType)}; the catalog has ${names.join(', ')}`,
      { context: { eventType } },
    )
  }
  return catalog[eventType]
}

/** All entries keyed by event type, for code that walks the whole catalog (provisioning, docs). */
export function catalogEntries(): ReadonlyArray<readonly [EventType, CatalogEntry]> {
  return names.map((name) => [name, catalog[name]] as const)
}

export function isCatalogTopic(topic: string): topic is Topic {
  return byTopic.has(topic)
}

/**
 * The event types a topic carries, in catalog order (one for most topics; `payments` carries
 * PaymentConfirmed and PaymentRefunded). Throws UnknownTopicError for a topic the catalog does not own.
 */
export function eventTypesForTopic<T extends Topic>(topic: T): ReadonlyArray<EventTypeOfTopic<T>>
export function eventTypesForTopic(topic: string): readonly EventType[]
export function eventTypesForTopic(topic: string): readonly EventType[] {
  const onTopic = byTopic.get(topic)
  if (onTopic === undefined) {
    throw new UnknownTopicError(
      `no event type is published on topic ${JSON.stringify(topic)}; catalog topics: ${[...byTopic.keys()].join(', ')}`,
      { context: { topic } },
    )
  }
  return onTopic
}

/**
 * The event type a single-type topic carries. Throws UnknownTopicError for a topic the catalog does
 * not own, and UnknownEventTypeError for a topic with several types, whose records say their type
 * only through their schema (`eventTypesForTopic`, `eventTypeOfRecord`).
 */
export function eventTypeForTopic<T extends Topic>(topic: T): EventTypeOfTopic<T>
export function eventTypeForTopic(topic: string): EventType
export function eventTypeForTopic(topic: string): EventType {
  const onTopic = eventTypesForTopic(topic)
  if (onTopic.length > 1) {
    throw new UnknownEventTypeError(
      `topic ${JSON.stringify(topic)} carries several event types (${onTopic.join(', ')}): a record's type is its schema's record name`,
      { context: { topic } },
    )
  }
  return onTopic[0]!
}

/** The record key of an event: the value of its catalog key field. */
export function eventKey<E extends EventType>(eventType: E, event: EventOf<E>): string {
  const field = catalogEntry(eventType).keyField
  return (event as unknown as Record<string, string>)[field]!
}
