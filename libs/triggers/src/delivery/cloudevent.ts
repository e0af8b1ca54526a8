import { type EventType, isEventType, recordNameOf } from '@event-backbone/catalog'
import type { IHeaders } from 'kafkajs'
import { ceSpecVersion, kafkaCeHeader, partitionKeyAttribute, traceparentHeader } from './ce-names.ts'

/** The record a delivery is made from: the decoded event and where it was read. */
export interface DeliveryRecord {
  readonly eventType: string
  readonly event: Readonly<Record<string, unknown>>
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly timestamp: string
  readonly key: Buffer | null
  readonly headers: IHeaders
  /** The registry id of the writer schema (Confluent wire format), for `dataschema`. */
  readonly schemaId?: number
}

export type CloudEventAttributes = Readonly<Record<string, string>>

function header(headers: IHeaders, name: string): string | undefined {
  const raw = headers[name]
  const value = Array.isArray(raw) ? raw[0] : raw
  if (value === undefined || value === null) return undefined
  const text = value.toString()
  return text === '' ? undefined : text
}

/** As the publisher writes `ce_type`: the Avro full name of the catalog type. */
function typeOf(eventType: string): string {
  return isEventType(eventType) ? recordNameOf(eventType as EventType) : eventType
}

function timeOf(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'number') return new Date(value).toISOString()
  if (typeof value === 'string') return value
  return undefined
}

/**
 * The CloudEvent context of a record. A record published with the CloudEvents Kafka binding
 * (`ce_*` headers, which the backbone's publisher writes) keeps its attributes; a record without
 * them gets the same from the event (`eventId`, `occurredAt`, `source`), the catalog type's Avro
 * full name and the record (key → `subject` and `partitionkey`, the Confluent schema id →
 * `dataschema` on the registry).
 */
export function cloudEventAttributes(record: DeliveryRecord, registryUrl: string): CloudEventAttributes {
  const fromHeader = (attribute: string) => header(record.headers, kafkaCeHeader(attribute))
  const key = record.key === null || record.key.length === 0 ? undefined : record.key.toString('utf8')
  const schemaId = record.schemaId
  const attributes: Record<string, string | undefined> = {
    specversion: ceSpecVersion,
    id:
      fromHeader('id') ??
      String(record.event['eventId'] ?? `${record.topic}-${record.partition}-${record.offset}`),
    type: fromHeader('type') ?? typeOf(record.eventType),
    source: fromHeader('source') ?? String(record.event['source'] ?? `kafka:${record.topic}`),
    time: fromHeader('time') ?? timeOf(record.event['occurredAt']),
    subject: fromHeader('subject') ?? key,
    dataschema:
      fromHeader('dataschema') ??
      (schemaId === undefined ? undefined : `${registryUrl.replace(/\/$/, '')}/schemas/ids/${schemaId}`),
    datacontenttype: 'application/json',
    [partitionKeyAttribute]: key,
    [traceparentHeader]: fromHeader(traceparentHeader) ?? header(record.headers, traceparentHeader),
  }
  return Object.fromEntries(
    Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
}

/** JSON of a decoded Avro event: Dates as ISO strings (JSON's default), bytes as base64, longs as text. */
export function eventJson(event: unknown): string {
  return JSON.stringify(event, function replace(this: Record<string, unknown>, key, value) {
    const raw = this[key]
    if (Buffer.isBuffer(raw)) return raw.toString('base64')
    if (typeof value === 'bigint') return value.toString()
    return value
  })
}
