import { CLOUDEVENTS_PREFIX, CLOUDEVENTS_SPEC_VERSION } from '#libs/kafka'

/** CloudEvents names on the two bindings: the Kafka side is the wire contract's (libs/kafka/src/wire/cloudevents.ts). */
export const ceSpecVersion = CLOUDEVENTS_SPEC_VERSION

/** Kafka protocol binding (binary mode): `ce_<attribute>` record headers. */
export const kafkaCeHeader = (attribute: string): string => `${CLOUDEVENTS_PREFIX}${attribute}`
/** HTTP protocol binding (binary mode): `ce-<attribute>` request headers. */
export const httpCeHeader = (attribute: string): string => `ce-${attribute}`

export const ceStructuredContentType = 'application/cloudevents+json; charset=utf-8'
/** W3C trace context, carried by the backbone as a record header and as the CE `traceparent` extension. */
export const traceparentHeader = 'traceparent'
/** The CloudEvents partitioning extension: the record key. */
export const partitionKeyAttribute = 'partitionkey'
