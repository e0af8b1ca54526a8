import {
  catalogEntry,
  type EventOf,
  type EventType,
  eventTypeOfRecord,
  eventTypesForTopic,
  parseAvroSchema,
  schemaText,
  schemaType,
  type Topic,
  type TopicEvent,
} from '@event-backbone/catalog'
import {
  AvroDecodeError,
  AvroEncodeError,
  type BackboneError,
  type ErrorContext,
  IncompatibleReaderError,
} from '@event-backbone/errors'
import type avsc from 'avsc'
import { AsyncMemo } from './async-memo.ts'
import { BAIL, type CompiledReader, compiledReader } from './compiled-reader.ts'
import { withContext } from './error-context.ts'
import { decodeBody, decodeWithAvsc, encodeFramed } from './framed-codec.ts'
import type { SchemaRegistryClient } from './registry-client.ts'
import { invalidFields } from './validation.ts'
import { asBuffer, PREFIX_LENGTH, readSchemaId } from './wire-format.ts'

type Resolver = ReturnType<avsc.Type['createResolver']>

const kRegistry = Symbol('registry')
const kIds = Symbol('ids')
const kIdByEventType = Symbol('idByEventType')
const kWriters = Symbol('writers')
const kResolvers = Symbol('resolvers')
const kPlans = Symbol('plans')

/** A record of a multi-type topic, decoded as the event type its writer schema names. */
type Decoded = { readonly type: EventType; readonly value: unknown }

/** How records with one schema id decode as one event type, looked up once per record. */
interface DecodePlan {
  readonly eventType: EventType
  readonly reader: avsc.Type
  readonly writer: avsc.Type
  readonly resolver: Resolver | null
  // Only without a resolver: the compiled reader reads bodies written with the reader schema.
  readonly compiled: CompiledReader | undefined
}

/**
 * Encodes events of the catalog to the Confluent wire format and back. Writer schemas come from the
 * registry by id; every record is resolved to the catalog's (reader) schema, so a consumer sees
 * its own version of the event type whatever compatible version the producer wrote.
 *
 * Caches (none expires: an id's schema never changes): subject+schema → id, id → writer type,
 * (reader type, writer id) → resolver, id → decode plan (reader, resolver, compiled reader).
 * Concurrent misses for one key share one registry request.
 */
export class EventSerde {
  readonly [kRegistry]: SchemaRegistryClient
  readonly [kIds] = new AsyncMemo<string, number>()
  readonly [kIdByEventType] = new Map<EventType, number>()
  readonly [kWriters] = new AsyncMemo<number, avsc.Type>()
  // null: writer and reader have the same canonical form, so the reader reads the body directly.
  readonly [kResolvers] = new WeakMap<avsc.Type, Map<number, Resolver | null>>()
  // Schema id → the plan of the first event type it was decoded as (one per id in practice).
  readonly [kPlans] = new Map<number, DecodePlan>()

  constructor(registry: SchemaRegistryClient) {
    this[kRegistry] = registry
  }

  /** The registry id of the event type's catalog schema, registering it under its subject once. */
  async schemaId(eventType: EventType): Promise<number> {
    const known = this[kIdByEventType].get(eventType)
    if (known !== undefined) return known
    const { subject } = catalogEntry(eventType)
    const schema = schemaText(eventType)
    try {
      const id = await this[kIds].get(`${subject}\n${schema}`, () =>
        this[kRegistry].register(subject, schema),
      )
      this[kIdByEventType].set(eventType, id)
      return id
    } catch (error) {
      throw withContext(error, { eventType, subject })
    }
  }

  /** Validates `value` against the event type's schema and frames it with the schema's id. */
  async encode<E extends EventType>(eventType: E, value: EventOf<E>): Promise<Buffer> {
    const type = schemaType(eventType)
    const id = this[kIdByEventType].get(eventType)
    try {
      // avsc checks every value it writes, so the happy path validates once, while encoding.
      if (id !== undefined) return encodeFramed(type, value, id)
      // First record of this type: validate before registering, so a bad value never registers.
      type.toBuffer(value)
    } catch (error) {
      throw encodeError(eventType, type, value, error)
    }
    return encodeFramed(type, value, await this.schemaId(eventType))
  }

  /**
   * `encode` without a promise once the event type's schema id is known (every event after the
   * first of its type): returns the framed bytes, or throws the same `AvroEncodeError`,
   * synchronously. Before that it returns `encode`'s promise.
   */
  encodeSyncIfCached<E extends EventType>(eventType: E, value: EventOf<E>): Buffer | Promise<Buffer> {
    const id = this[kIdByEventType].get(eventType)
    if (id === undefined) return this.encode(eventType, value)
    const type = schemaType(eventType)
    try {
      return encodeFramed(type, value, id)
    } catch (error) {
      throw encodeError(eventType, type, value, error)
    }
  }

  /**
   * Decodes a wire-format record as `eventType`. `context` (topic, partition, offset) is added to
   * any error, so a dead-lettered record says where it came from.
   */
  async decode<E extends EventType>(
    eventType: E,
    bytes: Uint8Array,
    context: ErrorContext = {},
  ): Promise<EventOf<E>> {
    const buffer = asBuffer(bytes)
    const schemaId = schemaIdOf(buffer, eventType, context)
    const writer =
      this[kWriters].peek(schemaId) ?? (await this.writerType(schemaId, { ...context, eventType }))
    return decodeWith(this, eventType, buffer, schemaId, writer, context)
  }

  /**
   * `decode` without a promise once the record's writer schema is cached (every record after the
   * first of its schema id): returns the event, or throws the same errors, synchronously. On a
   * cache miss it returns `decode`'s promise. The consumer runtime accepts either (onEvent in
   * libs/events uses this); an awaited promise per record was ~30% of decoding.
   */
  decodeSyncIfCached<E extends EventType>(
    eventType: E,
    bytes: Uint8Array,
    context: ErrorContext = {},
  ): EventOf<E> | Promise<EventOf<E>> {
    const buffer = asBuffer(bytes)
    const schemaId = schemaIdOf(buffer, eventType, context)
    const plan = this[kPlans].get(schemaId)
    if (plan !== undefined && plan.eventType === eventType)
      return decodePlanned(plan, buffer, schemaId, context)
    const writer = this[kWriters].peek(schemaId)
    if (writer === undefined) return this.decode(eventType, buffer, context)
    return decodeWith(this, eventType, buffer, schemaId, writer, context)
  }

  /**
   * Decodes a record of a topic that may carry several event types: the writer schema's record
   * name (`dev.eventbackbone.events.PaymentRefunded`) picks the event type among the topic's, as
   * Confluent's TopicRecordNameStrategy and RecordNameStrategy name them, and the record is
   * resolved to that type's catalog schema. Synchronous once the writer schema is cached. A writer
   * schema that names no event type of the topic is an `IncompatibleReaderError` (not retriable).
   */
  decodeForTopic<T extends Topic>(
    topic: T,
    bytes: Uint8Array,
    context?: ErrorContext,
  ): TopicEvent<T> | Promise<TopicEvent<T>>
  decodeForTopic(topic: string, bytes: Uint8Array, context: ErrorContext = {}): Decoded | Promise<Decoded> {
    const buffer = asBuffer(bytes)
    let schemaId: number
    try {
      schemaId = readSchemaId(buffer)
    } catch (error) {
      throw withContext(error, { ...context, topic })
    }
    const plan = this[kPlans].get(schemaId)
    if (plan !== undefined && catalogEntry(plan.eventType).topic === topic) {
      return { type: plan.eventType, value: decodePlanned(plan, buffer, schemaId, context) }
    }
    const writer = this[kWriters].peek(schemaId)
    if (writer !== undefined) return decodeOnTopic(this, topic, buffer, schemaId, writer, context)
    return this.writerType(schemaId, { ...context, topic }).then((fetched) =>
      decodeOnTopic(this, topic, buffer, schemaId, fetched, context),
    )
  }

  /**
   * Decodes a record with its writer schema alone, for tools that handle records of any type (the
   * dead-letter console, replay predicates). Handlers use `decode`, which gives the catalog's shape.
   */
  async decodeWithWriterSchema(
    bytes: Uint8Array,
    context: ErrorContext = {},
  ): Promise<{
    readonly schemaId: number
    readonly schemaName: string | undefined
    readonly value: unknown
  }> {
    const buffer = asBuffer(bytes)
    let schemaId: number
    try {
      schemaId = readSchemaId(buffer)
    } catch (error) {
      throw withContext(error, context)
    }
    const writer = await this.writerType(schemaId, context)
    try {
      return { schemaId, schemaName: writer.name, value: decodeBody(writer, buffer, PREFIX_LENGTH, null) }
    } catch (error) {
      const bodyLength = buffer.length - PREFIX_LENGTH
      throw new AvroDecodeError(
        `the ${bodyLength}-byte Avro body does not decode with writer schema id ${schemaId}: ${(error as Error).message}`,
        { cause: error, context: { ...context, schemaId, bodyLength } },
      )
    }
  }

  /** The writer type registered under `schemaId`, fetched once and parsed with our logical types. */
  async writerType(schemaId: number, context: ErrorContext = {}): Promise<avsc.Type> {
    try {
      return await this[kWriters].get(schemaId, async () => {
        const text = await this[kRegistry].getSchemaById(schemaId)
        try {
          return parseAvroSchema(text)
        } catch (error) {
          throw new AvroDecodeError(
            `schema id ${schemaId} from the registry is not a valid Avro schema: ${(error as Error).message}`,
            { cause: error, context: { schemaId } },
          )
        }
      })
    } catch (error) {
      throw withContext(error, { ...context, schemaId })
    }
  }
}

function decodeOnTopic(
  serde: EventSerde,
  topic: string,
  buffer: Buffer,
  schemaId: number,
  writer: avsc.Type,
  context: ErrorContext,
): Decoded {
  const eventType = eventTypeOfRecord(topic, writer.name)
  if (eventType === undefined) {
    throw new IncompatibleReaderError(
      `writer schema id ${schemaId} (${writer.name ?? writer.typeName}) is not an event type of topic ${topic}, ` +
        `which carries ${eventTypesForTopic(topic).join(', ')}`,
      { context: { ...context, topic, schemaId } },
    )
  }
  return { type: eventType, value: decodeWith(serde, eventType, buffer, schemaId, writer, context) }
}

function schemaIdOf(buffer: Buffer, eventType: EventType, context: ErrorContext): number {
  try {
    return readSchemaId(buffer)
  } catch (error) {
    throw withContext(error, { ...context, eventType })
  }
}

function decodeWith<E extends EventType>(
  serde: EventSerde,
  eventType: E,
  buffer: Buffer,
  schemaId: number,
  writer: avsc.Type,
  context: ErrorContext,
): EventOf<E> {
  let plan = serde[kPlans].get(schemaId)
  if (plan === undefined || plan.eventType !== eventType) {
    const reader = schemaType(eventType)
    const resolver = resolverFor(serde[kResolvers], reader, writer, schemaId, eventType, context)
    const compiled = resolver === null ? compiledReader(reader) : undefined
    plan = { eventType, reader, writer, resolver, compiled }
    if (!serde[kPlans].has(schemaId)) serde[kPlans].set(schemaId, plan)
  }
  return decodePlanned(plan, buffer, schemaId, context)
}

/**
 * The compiled reader first; avsc for what it hands back (anything but a clean body), so values
 * and error messages are avsc's ("truncated buffer", "trailing data", …).
 */
function decodePlanned<E extends EventType>(
  plan: DecodePlan,
  buffer: Buffer,
  schemaId: number,
  context: ErrorContext,
): EventOf<E> {
  if (plan.compiled !== undefined) {
    const value = plan.compiled(buffer, PREFIX_LENGTH)
    if (value !== BAIL) return value as EventOf<E>
  }
  try {
    return decodeWithAvsc(plan.reader, buffer, PREFIX_LENGTH, plan.resolver) as EventOf<E>
  } catch (error) {
    const { eventType, writer } = plan
    const bodyLength = buffer.length - PREFIX_LENGTH
    throw new AvroDecodeError(
      `the ${bodyLength}-byte Avro body does not decode with writer schema id ${schemaId} ` +
        `(${writer.name ?? writer.typeName}) as ${eventType}: ${(error as Error).message}`,
      { cause: error, context: { ...context, eventType, schemaId, bodyLength } },
    )
  }
}

function resolverFor(
  resolvers: WeakMap<avsc.Type, Map<number, Resolver | null>>,
  reader: avsc.Type,
  writer: avsc.Type,
  schemaId: number,
  eventType: EventType,
  context: ErrorContext,
): Resolver | null {
  let byWriter = resolvers.get(reader)
  if (byWriter === undefined) {
    byWriter = new Map()
    resolvers.set(reader, byWriter)
  }
  const cached = byWriter.get(schemaId)
  if (cached !== undefined) return cached
  let resolver: Resolver | null
  if (reader.fingerprint().equals(writer.fingerprint())) {
    resolver = null
  } else {
    try {
      resolver = reader.createResolver(writer)
    } catch (error) {
      throw new IncompatibleReaderError(
        `writer schema id ${schemaId} (${writer.name ?? writer.typeName}) cannot be read as ${eventType}: ` +
          (error as Error).message,
        { cause: error, context: { ...context, eventType, schemaId } },
      )
    }
  }
  byWriter.set(schemaId, resolver)
  return resolver
}

function encodeError(eventType: EventType, type: avsc.Type, value: unknown, error: unknown): BackboneError {
  const fields = invalidFields(type, value)
  const detail =
    fields.length > 0
      ? fields.map((field) => `${field.path}: expected ${field.expected}, got ${field.actual}`).join('; ')
      : (error as Error).message
  return new AvroEncodeError(`${eventType} does not match its schema: ${detail}`, {
    cause: error,
    context: { eventType, fields: fields.map((field) => field.path) },
  })
}
