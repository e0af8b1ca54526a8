import type { EventType, EventTypeMap } from '@event-backbone/catalog'
import type { CloudEventV1 } from 'cloudevents'
import { cloudEventType, eventTypeOfCloudEvent } from '#libs/events'
import { CLOUDEVENTS_PREFIX, CloudEventHeader } from '#libs/kafka'
import { type Headers, type PublishOptions, parseTraceparent } from '#libs/publisher'
import { type ApiKey, mayPublish } from '../api-keys.ts'
import { invalidEvent, type Problem, problem } from '../http-errors.ts'
import { jsonToEvent } from '../json-to-event.ts'

/** A received CloudEvent as the catalog event to publish, and how to publish it. */
export interface Ingestible {
  readonly eventType: EventType
  readonly event: EventTypeMap[EventType]
  readonly options: PublishOptions
}

export type Mapping =
  | { readonly ok: true; readonly value: Ingestible }
  | { readonly ok: false; readonly problem: Problem }

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const CONTEXT = new Set([
  'specversion',
  'id',
  'type',
  'source',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
])
// The record's own binding already says these; a client's value must not compete with it.
const OWN = new Set<string>(
  Object.values(CloudEventHeader).map((name) => name.replace(CLOUDEVENTS_PREFIX, '')),
)

function fail(
  status: number,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
): Mapping {
  return { ok: false, problem: problem(status, error, message, details) }
}

export interface MappingContext {
  readonly key: ApiKey
  readonly served: ReadonlySet<string>
  /** The request's `traceparent` header (already checked), used when the event has no extension. */
  readonly traceparent: string | undefined
  /** When the event has no `time`: the request's arrival. */
  readonly receivedAt: Date
}

/**
 * Maps a CloudEvent to a catalog event: `type` names the event type (Avro full name or catalog
 * name), `id` becomes `eventId`, `time` `occurredAt` (the arrival time when absent), `source`
 * the event's `source` field when data has none; `data` holds the other fields. Data may repeat
 * `eventId` or `occurredAt` only with the same value. The record keeps the client's `source`
 * and `traceparent`, and `subject` and extensions as `ce_` headers.
 */
export function cloudEventToEvent(
  received: { readonly event: CloudEventV1<unknown>; readonly timeGiven: boolean },
  context: MappingContext,
): Mapping {
  const ce = received.event
  const eventType = eventTypeOfCloudEvent(ce.type)
  if (eventType === undefined || !context.served.has(eventType)) {
    return fail(400, 'unknown_event_type', `unknown CloudEvents type ${JSON.stringify(ce.type)}`, {
      type: ce.type,
      knownTypes: [...context.served].map((name) => cloudEventType(name as EventType)),
    })
  }
  if (!mayPublish(context.key, eventType)) {
    return fail(403, 'forbidden', `the API key "${context.key.name}" may not publish ${eventType}`, {
      eventType,
      type: ce.type,
    })
  }
  if (!UUID.test(ce.id)) {
    return fail(
      400,
      'invalid_cloudevent',
      `id ${JSON.stringify(ce.id)} is not a UUID; it becomes the event's eventId, which is one`,
      {
        attribute: 'id',
      },
    )
  }
  const data = ce.data
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(
      400,
      'invalid_cloudevent',
      `the CloudEvent's data must be a JSON object (the ${eventType} fields)`,
      {
        attribute: 'data',
      },
    )
  }
  const fields = data as Record<string, unknown>
  const occurredAt =
    (received.timeGiven ? ce.time : undefined) ?? fields['occurredAt'] ?? context.receivedAt.toISOString()
  const conflict = conflicting(fields, ce.id, occurredAt)
  if (conflict) return conflict
  const conversion = jsonToEvent(eventType, {
    ...fields,
    eventId: ce.id,
    occurredAt,
    source: fields['source'] ?? ce.source,
  })
  if (!conversion.ok) return { ok: false, problem: invalidEvent(eventType, conversion.errors) }

  const traceparent = ce['traceparent']
  if (traceparent !== undefined && (typeof traceparent !== 'string' || !parseTraceparent(traceparent))) {
    return fail(400, 'invalid_traceparent', 'the traceparent extension is not a valid W3C traceparent', {
      attribute: 'traceparent',
    })
  }
  const chosen = (traceparent as string | undefined) ?? context.traceparent
  return {
    ok: true,
    value: {
      eventType,
      event: conversion.event,
      options: {
        source: ce.source,
        ...(chosen === undefined ? {} : { traceparent: chosen }),
        headers: extensionHeaders(ce),
      },
    },
  }
}

function conflicting(fields: Record<string, unknown>, id: string, occurredAt: unknown): Mapping | undefined {
  if ('eventId' in fields && fields['eventId'] !== id) {
    return fail(
      400,
      'invalid_cloudevent',
      `data.eventId ${JSON.stringify(fields['eventId'])} differs from the CloudEvent id ${JSON.stringify(id)}`,
      {
        attribute: 'id',
      },
    )
  }
  if ('occurredAt' in fields && millis(fields['occurredAt']) !== millis(occurredAt)) {
    return fail(
      400,
      'invalid_cloudevent',
      `data.occurredAt ${JSON.stringify(fields['occurredAt'])} differs from the CloudEvent time ${JSON.stringify(occurredAt)}`,
      {
        attribute: 'time',
      },
    )
  }
  return undefined
}

function millis(value: unknown): number | undefined {
  if (typeof value === 'number') return value
  if (typeof value === 'string') return Date.parse(value)
  return undefined
}

/** `subject` and extension attributes, carried on as `ce_` headers (the binding's own win). */
function extensionHeaders(ce: CloudEventV1<unknown>): Headers {
  const headers: Headers = {}
  for (const [name, value] of Object.entries(ce)) {
    if (CONTEXT.has(name) || OWN.has(name) || value === undefined || value === null) continue
    if (typeof value === 'function' || typeof value === 'object') continue
    headers[`${CLOUDEVENTS_PREFIX}${name}`] = String(value)
  }
  return headers
}
