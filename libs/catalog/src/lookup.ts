import { UnknownEventTypeError, UnknownTopicError } from '@event-backbone/errors'
import { type CatalogEntry, catalog } from './catalog.ts'
import type { Catalog, EventOf, EventType, EventTypeOfTopic, Topic } from './event-types.ts'

const names = Object.keys(catalog) as EventType[]
const byTopic = new Map<string, EventType>(names.map((name) => [catalog[name].topic, name]))

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

/** The event type a topic carries; throws UnknownTopicError for a topic the catalog does not own. */
export function eventTypeForTopic<T extends Topic>(topic: T): EventTypeOfTopic<T>
export function eventTypeForTopic(topic: string): EventType
export function eventTypeForTopic(topic: string): EventType {
  const name = byTopic.get(topic)
  if (name === undefined) {
    throw new UnknownTopicError(
      `no event type is published on topic ${JSON.stringify(topic)}; catalog topics: ${[...byTopic.keys()].join(', ')}`,
      { context: { topic } },
    )
  }
  return name
}

/** The record key of an event: the value of its catalog key field. */
export function eventKey<E extends EventType>(eventType: E, event: EventOf<E>): string {
  const field = catalogEntry(eventType).keyField
  return (event as unknown as Record<string, string>)[field]!
}
