import { catalogEntry, type EventOf, type EventType, eventKey } from '@event-backbone/catalog'
import type { EventSerde } from '@event-backbone/serde'
import type { HandlerContext, RawValue } from '#libs/consumer'
import { activeTraceparent, cloudEventHeaders, sourceReference } from '#libs/kafka'
import {
  EVENT_TYPE_HEADER,
  formatTraceparent,
  generateTraceparent,
  parseTraceparent,
  TRACEPARENT_HEADER,
} from '#libs/publisher'
import { catalogEventFacts } from './cloudevents.ts'

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (Array.isArray(value)) return headerText(value[0])
  return undefined
}

/**
 * The traceparent of an output: the handler's process span when tracing is on (libs/tracing), so
 * the consumer of the output continues the trace under it; otherwise the input's trace id with a
 * new span id, so a trace id still follows an event through every consumer that reacts to it.
 */
export function childTraceparent(inputHeaders: Readonly<Record<string, unknown>>): string {
  const active = activeTraceparent()
  if (active !== undefined) return active
  const parent = parseTraceparent(headerText(inputHeaders[TRACEPARENT_HEADER]) ?? '')
  const fresh = parseTraceparent(generateTraceparent())!
  return parent ? formatTraceparent({ ...parent, parentId: fresh.parentId }) : formatTraceparent(fresh)
}

/**
 * Emits an output event of the catalog from a handler: its topic and key come from the catalog,
 * its value is Avro in the wire format, and it carries the input's trace and the CloudEvents Kafka
 * binding. `ce_source` is the event's own `source` field, which names the service that emits it
 * (the runtime does not know the service's name). Under exactly-once the output commits in the
 * same transaction as the input's offset.
 */
export function emitEvent<E extends EventType>(
  ctx: HandlerContext,
  serde: EventSerde,
  eventType: E,
  event: EventOf<E>,
): Promise<void> {
  const traceparent = childTraceparent(ctx.headers)
  const base = { [TRACEPARENT_HEADER]: traceparent, [EVENT_TYPE_HEADER]: eventType }
  const source = (event as { source?: unknown }).source
  // A function of the encoded value: `ce_dataschema` names the schema id the value is framed with.
  const headers = (value: RawValue) => {
    const facts = Buffer.isBuffer(value) ? catalogEventFacts(eventType, event, value, undefined) : undefined
    if (!facts) return base
    const ce = cloudEventHeaders({
      ...facts,
      source: sourceReference(typeof source === 'string' && source !== '' ? source : 'event-backbone'),
      traceparent,
    })
    return { ...ce, ...base }
  }
  return ctx.emit(catalogEntry(eventType).topic, eventKey(eventType, event), event, {
    encoder: { encode: (value) => serde.encodeSyncIfCached(eventType, value) },
    headers,
  })
}
