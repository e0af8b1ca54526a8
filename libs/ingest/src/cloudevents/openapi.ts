import type { EventType } from '@event-backbone/catalog'
import { CONSTANTS } from 'cloudevents'
import { cloudEventType } from '#libs/events'
import { CLOUDEVENTS_ROUTE } from './route-path.ts'

type JsonSchema = Record<string, unknown>

// What the CloudEvent's attributes supply, so `data` may leave them out.
const FROM_ATTRIBUTES = new Set(['eventId', 'occurredAt', 'source'])

/** An event type's JSON Schema as `data` of a CloudEvent: the fields the attributes supply are optional. */
function dataSchema(event: JsonSchema): JsonSchema {
  const required = (event['required'] as string[] | undefined) ?? []
  return { ...event, required: required.filter((name) => !FROM_ATTRIBUTES.has(name)) }
}

function header(name: string, description: string, schema: JsonSchema = { type: 'string' }) {
  return { name, in: 'header', required: false, schema, description }
}

/**
 * The OpenAPI paths and schemas of `POST /v1/cloudevents`, beside the JSON routes'. `eventSchemas`
 * are the catalog types' JSON Schemas by type name, as the JSON routes document them.
 */
export function cloudEventsOpenApi(
  eventTypes: readonly EventType[],
  eventSchemas: Readonly<Record<string, JsonSchema>>,
  errorRef: (description: string) => JsonSchema,
  unavailable: JsonSchema,
): { paths: Record<string, unknown>; schemas: Record<string, unknown> } {
  const schemas: Record<string, unknown> = {}
  for (const eventType of eventTypes) schemas[`${eventType}Data`] = dataSchema(eventSchemas[eventType] ?? {})
  const types = eventTypes.flatMap((eventType) => [cloudEventType(eventType), eventType])
  const data = { anyOf: eventTypes.map((eventType) => ({ $ref: `#/components/schemas/${eventType}Data` })) }
  schemas['CloudEvent'] = {
    type: 'object',
    description:
      'A CloudEvents 1.0 event in structured mode (JSON format). `type` names the catalog event type; `data` holds its fields.',
    required: ['specversion', 'id', 'type', 'source', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: {
        type: 'string',
        format: 'uuid',
        description: "becomes the event's eventId (so a resend is a duplicate)",
      },
      type: {
        type: 'string',
        enum: types,
        description: 'the Avro full name of a catalog type, or its catalog name',
      },
      source: {
        type: 'string',
        format: 'uri-reference',
        description: 'kept as the record ce_source; fills data.source when absent',
      },
      time: {
        type: 'string',
        format: 'date-time',
        description: 'becomes occurredAt; the arrival time when absent',
      },
      datacontenttype: { type: 'string', description: 'a JSON media type (application/json) or absent' },
      subject: { type: 'string' },
      traceparent: {
        type: 'string',
        description: 'Distributed Tracing extension: W3C trace context of the record',
      },
      data,
    },
    additionalProperties: {
      type: ['string', 'number', 'boolean'],
      description: 'extension attributes, kept as ce_ headers',
    },
  }
  schemas['CloudEventAck'] = {
    type: 'object',
    required: ['id', 'eventId', 'eventType', 'topic', 'partition', 'offset'],
    properties: {
      id: { type: 'string' },
      eventId: { type: 'string', format: 'uuid' },
      eventType: { type: 'string' },
      topic: { type: 'string' },
      partition: { type: 'integer' },
      offset: { type: 'string', description: 'Kafka offset as a decimal string (64-bit)' },
    },
  }
  const ackContent = (ref: string) => ({
    'application/json': { schema: { $ref: `#/components/schemas/${ref}` } },
  })
  const operation = {
    post: {
      operationId: 'publishCloudEvents',
      summary: 'Publish CloudEvents (binary or structured mode, or a batch) as catalog events',
      description:
        'The content type picks the mode: application/cloudevents+json is one structured event, application/cloudevents-batch+json a JSON array of them (validated all first, then each published), any JSON type binary mode with the attributes in ce-* headers and the data as the body. A 202 means Kafka acknowledged every event (acks=all).',
      parameters: [
        header('ce-specversion', 'binary mode: 1.0'),
        header('ce-id', 'binary mode: the event id, a UUID', { type: 'string', format: 'uuid' }),
        header('ce-type', 'binary mode: the catalog event type', { type: 'string', enum: types }),
        header('ce-source', 'binary mode: URI-reference of the producer'),
        header('ce-time', 'binary mode: RFC 3339 time of the occurrence', {
          type: 'string',
          format: 'date-time',
        }),
        header('ce-traceparent', 'binary mode: the Distributed Tracing extension'),
        header('traceparent', 'W3C trace context, used when the event carries no traceparent extension'),
      ],
      requestBody: {
        required: true,
        content: {
          [CONSTANTS.MIME_CE_JSON]: { schema: { $ref: '#/components/schemas/CloudEvent' } },
          [CONSTANTS.MIME_CE_BATCH]: {
            schema: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/CloudEvent' } },
          },
          'application/json': { schema: data },
        },
      },
      responses: {
        '202': {
          description: 'the broker acknowledged every event (acks=all)',
          content: ackContent('CloudEventAck'),
        },
        '207': {
          description: 'a batch of which some events were acknowledged, some failed',
          content: ackContent('BatchResult'),
        },
        '400': errorRef(
          'a bad envelope (missing or invalid attribute, specversion other than 1.0, id not a UUID, data not a JSON object), an unknown type, data that does not match its schema, or an invalid traceparent',
        ),
        '401': errorRef('no API key, or an unknown one'),
        '403': errorRef('the API key may not publish this event type'),
        '413': errorRef('the body is larger than the limit, or the batch has too many items'),
        '415': errorRef('the content type or datacontenttype is not JSON'),
        '503': unavailable,
      },
    },
  }
  return { paths: { [CLOUDEVENTS_ROUTE]: operation }, schemas }
}
