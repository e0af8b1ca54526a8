import { catalogEntry, type EventType, schemaType } from '@event-backbone/catalog'
import type avsc from 'avsc'
import { cloudEventsOpenApi } from './cloudevents/openapi.ts'

type JsonSchema = Record<string, unknown>

type Node = avsc.Type & {
  fields?: Array<{ name: string; type: avsc.Type; doc?: string; defaultValue(): unknown }>
  symbols?: string[]
  types?: avsc.Type[]
  itemsType?: avsc.Type
  valuesType?: avsc.Type
  doc?: string
}

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what the gateway accepts for an Avro type. */
function jsonSchema(type: Node): JsonSchema {
  switch (type.typeName) {
    case 'logical:timestamp-millis':
      return {
        oneOf: [
          { type: 'string', format: 'date-time', description: 'ISO-8601 with a time zone' },
          { type: 'integer', description: 'epoch milliseconds' },
        ],
      }
    case 'logical:uuid':
      return { type: 'string', format: 'uuid' }
    case 'string':
      return { type: 'string' }
    case 'boolean':
      return { type: 'boolean' }
    case 'null':
      return { type: 'null' }
    case 'int':
      return { type: 'integer', format: 'int32' }
    case 'long':
      return { type: 'integer', format: 'int64', maximum: 2 ** 53 - 2, minimum: -(2 ** 53 - 2) }
    case 'float':
    case 'double':
      return { type: 'number', format: type.typeName }
    case 'enum':
      return { type: 'string', enum: [...type.symbols!] }
    case 'array':
      return { type: 'array', items: jsonSchema(type.itemsType as Node) }
    case 'map':
      return { type: 'object', additionalProperties: jsonSchema(type.valuesType as Node) }
    case 'record':
    case 'error': {
      const properties: Record<string, JsonSchema> = {}
      const required: string[] = []
      for (const field of type.fields!) {
        const schema = jsonSchema(field.type as Node)
        const fallback = field.defaultValue()
        properties[field.name] = {
          ...schema,
          ...(field.doc ? { description: field.doc } : {}),
          ...(fallback === undefined ? {} : { default: fallback }),
        }
        if (fallback === undefined) required.push(field.name)
      }
      return { type: 'object', properties, required, additionalProperties: false }
    }
    case 'union:unwrapped':
    case 'union:wrapped':
      return { anyOf: (type.types as Node[]).map(jsonSchema) }
    default:
      return {}
  }
}

const errorBody = {
  type: 'object',
  required: ['error', 'message', 'requestId'],
  properties: {
    error: { type: 'string', description: 'stable machine-readable code, for example invalid_event' },
    message: { type: 'string' },
    requestId: { type: 'string' },
    code: {
      type: 'string',
      description: 'the error catalogue code (docs/errors.md) when one caused the answer',
    },
    eventType: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
}

const ack = {
  type: 'object',
  required: ['eventId', 'topic', 'partition', 'offset'],
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    topic: { type: 'string' },
    partition: { type: 'integer' },
    offset: { type: 'string', description: 'Kafka offset as a decimal string (64-bit)' },
  },
}

const errorRef = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

const unavailable = {
  ...errorRef('Kafka or the schema registry is unreachable; nothing was acknowledged'),
  headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } },
}

function commonErrors(): Record<string, unknown> {
  return {
    '400': errorRef('malformed JSON, an event that does not match its schema, or an invalid traceparent'),
    '401': errorRef('no API key, or an unknown one'),
    '403': errorRef('the API key may not publish this event type'),
    '404': errorRef('unknown event type'),
    '413': errorRef('the body is larger than the limit, or the batch has too many items'),
    '415': errorRef('the content type is not application/json'),
    '503': unavailable,
  }
}

function operations(eventType: EventType): Record<string, unknown> {
  const entry = catalogEntry(eventType)
  const event = { $ref: `#/components/schemas/${eventType}` }
  const traceparent = {
    name: 'traceparent',
    in: 'header',
    required: false,
    schema: { type: 'string' },
    description: 'W3C trace context; carried into the Kafka record headers',
  }
  const single = {
    post: {
      operationId: `publish${eventType}`,
      summary: `Publish one ${eventType} to topic ${entry.topic}`,
      description: entry.description,
      parameters: [traceparent],
      requestBody: { required: true, content: { 'application/json': { schema: event } } },
      responses: {
        '202': {
          description: 'the broker acknowledged the event (acks=all)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Ack' } } },
        },
        ...commonErrors(),
      },
    },
  }
  const batch = {
    post: {
      operationId: `publish${eventType}Batch`,
      summary: `Publish a batch of ${eventType}: all validated first, then each published`,
      parameters: [traceparent],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'array', minItems: 1, items: event } } },
      },
      responses: {
        '202': {
          description: 'every event was acknowledged',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/BatchResult' } } },
        },
        '207': {
          description: 'some events were acknowledged, some failed: see each item',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/BatchResult' } } },
        },
        ...commonErrors(),
      },
    },
  }
  return { [`/v1/events/${eventType}`]: single, [`/v1/events/${eventType}/batch`]: batch }
}

/** The OpenAPI 3.1 document of the gateway, one pair of paths per event type it serves. */
export function openApiDocument(eventTypes: readonly EventType[]): Record<string, unknown> {
  const schemas: Record<string, unknown> = {
    Error: errorBody,
    Ack: ack,
    BatchResult: {
      type: 'object',
      required: ['results'],
      properties: {
        results: {
          type: 'array',
          items: {
            type: 'object',
            required: ['index', 'status', 'eventId'],
            properties: {
              index: { type: 'integer' },
              status: { type: 'integer', description: '202, or the status this item alone would get' },
              ...ack.properties,
              error: { type: 'string' },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  }
  for (const eventType of eventTypes) schemas[eventType] = jsonSchema(schemaType(eventType) as Node)
  const cloudEvents = cloudEventsOpenApi(
    eventTypes,
    schemas as Record<string, JsonSchema>,
    errorRef,
    unavailable,
  )
  Object.assign(schemas, cloudEvents.schemas)
  return {
    openapi: '3.1.0',
    info: {
      title: 'event-backbone ingest gateway',
      version: '1',
      description:
        'Publish catalog events over HTTP, as JSON or as CloudEvents. A 202 means Kafka acknowledged the event (acks=all).',
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: Object.assign({}, ...eventTypes.map(operations), cloudEvents.paths),
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
  }
}
