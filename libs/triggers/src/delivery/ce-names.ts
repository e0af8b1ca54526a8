/**
 * CloudEvents attribute names and their header spellings. Literal here until the wire module
 * (libs/kafka/src/wire/cloudevents.ts) lands; then these point at it.
 */
export const ceSpecVersion = '1.0'

/** Context attributes the trigger sets, in the order they are written. */
export const ceAttributes = [
  'specversion',
  'id',
  'type',
  'source',
  'time',
  'subject',
  'dataschema',
  'datacontenttype',
] as const

/** Kafka protocol binding (binary mode): `ce_<attribute>` record headers. */
export const kafkaCeHeader = (attribute: string): string => `ce_${attribute}`
/** HTTP protocol binding (binary mode): `ce-<attribute>` request headers. */
export const httpCeHeader = (attribute: string): string => `ce-${attribute}`

export const ceStructuredContentType = 'application/cloudevents+json; charset=utf-8'
/** W3C trace context, carried by the backbone as a record header and as the CE `traceparent` extension. */
export const traceparentHeader = 'traceparent'
/** The CloudEvents partitioning extension: the record key. */
export const partitionKeyAttribute = 'partitionkey'
