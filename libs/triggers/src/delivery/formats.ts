import type { IHeaders } from 'kafkajs'
import { DeliveryFormat } from '../config/types.ts'
import { ceStructuredContentType, httpCeHeader } from './ce-names.ts'
import { type CloudEventAttributes, type DeliveryRecord, eventJson } from './cloudevent.ts'

export interface DeliveryRequest {
  readonly headers: Record<string, string>
  readonly body: string
}

/** CloudEvents HTTP binding, binary mode: attributes as `ce-*` headers, the event JSON as the body. */
function binary(attributes: CloudEventAttributes, record: DeliveryRecord): DeliveryRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  for (const [name, value] of Object.entries(attributes))
    if (name !== 'datacontenttype') headers[httpCeHeader(name)] = encodeHeaderValue(value)
  return { headers, body: eventJson(record.event) }
}

/** CloudEvents HTTP binding, structured mode: one JSON object with the attributes and `data`. */
function structured(attributes: CloudEventAttributes, record: DeliveryRecord): DeliveryRequest {
  const data = eventJson(record.event)
  const envelope = JSON.stringify(attributes)
  return {
    headers: { 'content-type': ceStructuredContentType },
    // Splices the already-serialised data in rather than serialising the event twice.
    body: `${envelope.slice(0, -1)},"data":${data}}`,
  }
}

function lambdaHeaders(headers: IHeaders): Array<Record<string, number[]>> {
  const out: Array<Record<string, number[]>> = []
  for (const [name, raw] of Object.entries(headers)) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (value === undefined || value === null) continue
      out.push({ [name]: [...(Buffer.isBuffer(value) ? value : Buffer.from(String(value)))] })
    }
  }
  return out
}

/**
 * AWS Lambda's self-managed Apache Kafka event, as a Lambda function URL would receive it from an
 * event source mapping, with one record per request. `key` is the record key in base64 as Lambda
 * sends it; `value` is base64 of the event's JSON (not of the Avro bytes), like Lambda's schema
 * registry integration with the JSON event record format, so a function decodes it without a registry.
 * Headers are Lambda's list of `{ name: [byte, …] }`.
 */
function lambda(record: DeliveryRecord, bootstrapServers: string): DeliveryRequest {
  const body = {
    eventSource: 'SelfManagedKafka',
    bootstrapServers,
    records: {
      [`${record.topic}-${record.partition}`]: [
        {
          topic: record.topic,
          partition: record.partition,
          offset: Number(record.offset),
          timestamp: Number(record.timestamp),
          timestampType: 'CREATE_TIME',
          ...(record.key === null ? {} : { key: record.key.toString('base64') }),
          value: Buffer.from(eventJson(record.event)).toString('base64'),
          headers: lambdaHeaders(record.headers),
        },
      ],
    },
  }
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

/**
 * The CloudEvents HTTP binding percent-encodes header values outside printable ASCII, and `"` and
 * `%` themselves (spec 3.1.3.2).
 */
function encodeHeaderValue(value: string): string {
  return value.replace(/[^\x20\x21\x23\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c))
}

export function buildRequest(
  format: DeliveryFormat,
  attributes: CloudEventAttributes,
  record: DeliveryRecord,
  bootstrapServers: string,
): DeliveryRequest {
  switch (format) {
    case DeliveryFormat.binary:
      return binary(attributes, record)
    case DeliveryFormat.structured:
      return structured(attributes, record)
    case DeliveryFormat.lambda:
      return lambda(record, bootstrapServers)
  }
}
