import { BadMagicByteError, type ErrorContext, TruncatedRecordError } from '@event-backbone/errors'

/*
 * Confluent wire format: byte 0 is the magic byte 0x00, bytes 1-4 the schema id as a big-endian
 * signed 32-bit integer (Java's ByteBuffer.getInt), then the Avro binary body.
 */
export const MAGIC_BYTE = 0x00
export const PREFIX_LENGTH = 5
const MAX_SCHEMA_ID = 0x7fffffff

export interface UnframedRecord {
  readonly schemaId: number
  /** The Avro body; a view over the input bytes, not a copy. */
  readonly body: Buffer
}

function assertSchemaId(schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > MAX_SCHEMA_ID) {
    throw new RangeError(`schema id must be an integer from 0 to ${MAX_SCHEMA_ID}, got ${schemaId}`)
  }
}

/** Prefixes an Avro body with the magic byte and schema id. */
export function frame(schemaId: number, body: Uint8Array): Buffer {
  assertSchemaId(schemaId)
  const framed = Buffer.allocUnsafe(PREFIX_LENGTH + body.length)
  framed[0] = MAGIC_BYTE
  framed.writeInt32BE(schemaId, 1)
  framed.set(body, PREFIX_LENGTH)
  return framed
}

/** Writes the 5-byte prefix in place, for encoders that reserved room for it before the body. */
export function writePrefix(target: Buffer, schemaId: number): void {
  assertSchemaId(schemaId)
  target[0] = MAGIC_BYTE
  target.writeInt32BE(schemaId, 1)
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`
}

function magicHint(byte: number): string {
  // JSON objects and arrays are the usual thing to find where Avro was expected.
  if (byte === 0x7b || byte === 0x5b)
    return `; the record starts with '${String.fromCharCode(byte)}', so it looks like JSON`
  if (byte === 0x01) return '; magic byte 1 (schema GUID) is not supported'
  return ''
}

export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Splits a record into its schema id and Avro body; throws the typed serde errors on bad input. */
export function unframe(bytes: Uint8Array, context: ErrorContext = {}): UnframedRecord {
  const buffer = asBuffer(bytes)
  return { schemaId: readSchemaId(buffer, context), body: buffer.subarray(PREFIX_LENGTH) }
}

/** The schema id of a framed record, after checking its prefix; the body starts at PREFIX_LENGTH. */
export function readSchemaId(buffer: Buffer, context: ErrorContext = {}): number {
  // Every well-formed record: the id read without Buffer#readInt32BE's own bounds checks (this
  // runs once per consumed record).
  if (buffer.length >= PREFIX_LENGTH && buffer[0] === MAGIC_BYTE) {
    return (buffer[1]! << 24) | (buffer[2]! << 16) | (buffer[3]! << 8) | buffer[4]!
  }
  if (buffer.length === 0) {
    throw new TruncatedRecordError(
      'the record is empty (0 bytes); the Confluent wire format needs at least 5 (magic byte 0x00 and a 4-byte schema id)',
      { context: { ...context, length: 0 } },
    )
  }
  const magic = buffer[0]!
  // The magic byte is checked first: a short non-Avro record is better described by what it is.
  if (magic !== MAGIC_BYTE) {
    throw new BadMagicByteError(
      `first byte is ${hex(magic)}, expected 0x00 (Confluent wire format)${magicHint(magic)}`,
      { context: { ...context, magicByte: magic, length: buffer.length } },
    )
  }
  // Magic byte 0 but fewer than PREFIX_LENGTH bytes.
  throw new TruncatedRecordError(
    `the record is ${buffer.length} bytes; the Confluent wire format needs at least 5 (magic byte 0x00 and a 4-byte schema id)`,
    { context: { ...context, length: buffer.length } },
  )
}
