import type { EventTypeMap } from '../generated/events.ts'
import type { catalog } from './catalog.ts'

export type Catalog = typeof catalog

/** The name of an event type, for example `'PaymentConfirmed'`. */
export type EventType = keyof Catalog

/** The generated TypeScript type of an event: `EventOf<'PaymentConfirmed'>` is `PaymentConfirmed`. */
export type EventOf<E extends EventType> = EventTypeMap[E]

export type Topic = Catalog[EventType]['topic']
export type TopicOf<E extends EventType> = Catalog[E]['topic']
export type KeyFieldOf<E extends EventType> = Catalog[E]['keyField']

/**
 * The event types a topic carries: `EventTypeOfTopic<'logins'>` is `'UserLogin'`,
 * `EventTypeOfTopic<'payments'>` is `'PaymentConfirmed' | 'PaymentRefunded'`.
 */
export type EventTypeOfTopic<T extends Topic> = {
  [E in EventType]: Catalog[E]['topic'] extends T ? E : never
}[EventType]

/** An event of a topic with its type name, narrowed by `type` (what a topic's subscription decodes). */
export type TopicEvent<T extends Topic> = {
  [E in EventTypeOfTopic<T>]: { readonly type: E; readonly value: EventOf<E> }
}[EventTypeOfTopic<T>]

/** An event together with its type name, narrowed by `type` (for handlers of several types). */
export type AnyEvent = { [E in EventType]: { readonly type: E; readonly value: EventOf<E> } }[EventType]

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Assert<T extends true> = T

/**
 * Compile-time checks, not re-exported: `tsc` fails here when the generated types are stale
 * (an event type without a generated interface, or the other way round) or a catalog `keyField`
 * is not a string field of its event.
 */
export type CatalogConsistency = [
  Assert<Same<keyof Catalog, keyof EventTypeMap>>,
  Assert<
    {
      [E in EventType]: KeyFieldOf<E> extends keyof EventOf<E>
        ? EventOf<E>[KeyFieldOf<E>] extends string
          ? true
          : false
        : false
    }[EventType] extends true
      ? true
      : false
  >,
]
