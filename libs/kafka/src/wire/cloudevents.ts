/**
 * The CloudEvents Kafka protocol binding, binary content mode, as the backbone writes it on every
 * record (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md#32-binary-content-mode):
 * "every CloudEvent context attribute ... MUST be mapped to a Kafka header with the `ce_` prefix",
 * and "the `datacontenttype` attribute ... MUST be mapped directly to the `content-type` header".
 * The value stays the Confluent-framed Avro body, so consumers that ignore headers are unaffected.
 * docs/events.md has the table; a unit test keeps it in step with `CloudEventHeader`.
 */
export const CloudEventHeader = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  dataschema: 'ce_dataschema',
  /** The Distributed Tracing extension, equal to the record's `traceparent` header. */
  traceparent: 'ce_traceparent',
  /** Not `ce_`-prefixed: the binding maps `datacontenttype` to the Kafka `content-type` header. */
  contentType: 'content-type',
} as const
export type CloudEventHeader = (typeof CloudEventHeader)[keyof typeof CloudEventHeader]

export const CLOUDEVENTS_PREFIX = 'ce_'
export const CLOUDEVENTS_SPEC_VERSION = '1.0'

/**
 * `datacontenttype` of a backbone record: Avro, framed as Confluent's serializers frame it (magic
 * byte 0, 4-byte big-endian schema id, binary body). `application/avro` is what Confluent's and
 * Knative's Kafka sources use for Avro bodies; the framing is told by `ce_dataschema`, which names
 * the registry schema id the frame carries.
 */
export const AVRO_CONTENT_TYPE = 'application/avro'

/** What the backbone knows of a record's event, in the shape the headers need. */
export interface CloudEventMetadata {
  /** The event's `eventId`. */
  readonly id: string
  /** The CloudEvents type, namespaced (the Avro full name of the catalog type). */
  readonly type: string
  /** URI-reference of the publishing service (`sourceReference`). */
  readonly source: string
  /** The event's `occurredAt`. */
  readonly time: Date | number | string
  /** The registry schema that the value's frame names (`schemaReference`). */
  readonly dataschema: string
  readonly traceparent: string
  readonly contentType?: string
}

/** The CloudEvents headers of one record. Pure: the same metadata always gives the same headers. */
export function cloudEventHeaders(metadata: CloudEventMetadata): Record<CloudEventHeader, string> {
  return {
    [CloudEventHeader.specversion]: CLOUDEVENTS_SPEC_VERSION,
    [CloudEventHeader.id]: metadata.id,
    [CloudEventHeader.type]: metadata.type,
    [CloudEventHeader.source]: metadata.source,
    [CloudEventHeader.time]: rfc3339(metadata.time),
    [CloudEventHeader.dataschema]: metadata.dataschema,
    [CloudEventHeader.traceparent]: metadata.traceparent,
    [CloudEventHeader.contentType]: metadata.contentType ?? AVRO_CONTENT_TYPE,
  }
}

/** RFC 3339 in UTC with milliseconds, which is what `occurredAt` (timestamp-millis) holds. */
function rfc3339(time: Date | number | string): string {
  if (typeof time === 'string') return time
  return (typeof time === 'number' ? new Date(time) : time).toISOString()
}

/**
 * `ce_source` of a service: its name as a relative URI-reference (CloudEvents allows one),
 * percent-encoding what RFC 3986 does not allow in a path, so `ingest-gateway` stays as it is.
 */
export function sourceReference(service: string): string {
  return encodeURI(service).replace(/[?#[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * `ce_dataschema` of a registry schema id: `<registryUrl>/schemas/ids/<id>` (the Confluent REST
 * path that serves it) when the registry URL is known, else the URN `urn:event-backbone:schema-id:<id>`,
 * since `dataschema` must be an absolute URI.
 */
export function schemaReference(schemaId: number, registryUrl?: string): string {
  if (registryUrl === undefined || registryUrl === '') return `urn:event-backbone:schema-id:${schemaId}`
  return `${registryUrl.replace(/\/+$/, '')}/schemas/ids/${schemaId}`
}

type KafkaHeaderValue = string | Buffer | ReadonlyArray<string | Buffer> | undefined

/** The context attributes a record's headers carry, by attribute name (`ce_type` → `type`). */
export type CloudEventAttributes = Readonly<Record<string, string>>

/**
 * Reads a record's CloudEvents attributes back from its Kafka headers: every `ce_` header (the
 * prefix dropped) and `content-type` as `datacontenttype`. Undefined when the record is not a
 * binary-mode CloudEvent (no `ce_specversion`). Values are read as UTF-8; a repeated header
 * yields its first value.
 */
export function readCloudEventAttributes(
  headers: Readonly<Record<string, KafkaHeaderValue>> | undefined,
): CloudEventAttributes | undefined {
  if (!headers || text(headers[CloudEventHeader.specversion]) === undefined) return undefined
  const attributes: Record<string, string> = {}
  for (const name in headers) {
    const value = text(headers[name])
    if (value === undefined) continue
    if (name.startsWith(CLOUDEVENTS_PREFIX)) attributes[name.slice(CLOUDEVENTS_PREFIX.length)] = value
    else if (name === CloudEventHeader.contentType) attributes['datacontenttype'] = value
  }
  return attributes
}

function text(value: KafkaHeaderValue): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  return text((value as ReadonlyArray<string | Buffer>)[0])
}
