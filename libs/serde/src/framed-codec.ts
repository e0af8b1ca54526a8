import type avsc from 'avsc'
import { BAIL, compiledReader } from './compiled-reader.ts'
import { BAIL_WRITE, compiledWriter } from './compiled-writer.ts'
import { PREFIX_LENGTH, writePrefix } from './wire-format.ts'

type Resolver = ReturnType<avsc.Type['createResolver']>

// One scratch buffer for the process: encoding is synchronous, so no two encodes share it at once.
// It grows to the largest record seen, up to MAX_SCRATCH; bigger records get a buffer of their own.
// Writing prefix and body into it, then copying once into a pooled Buffer, saves the zero-filled
// allocation and the second copy of `toBuffer` + `frame`.
const MAX_SCRATCH = 1024 * 1024
let scratch = Buffer.allocUnsafe(16 * 1024)

/** Encodes `value` with `type` (avsc checks every value it writes) framed with `schemaId`. */
export function encodeFramed(type: avsc.Type, value: unknown, schemaId: number): Buffer {
  // The compiled writer first; avsc for whatever it hands back (invalid values: avsc throws).
  const write = compiledWriter(type)
  if (write !== undefined) {
    const written = write(value, scratch, PREFIX_LENGTH)
    if (written !== BAIL_WRITE) return copyFramed(written, schemaId)
  }
  let end = type.encode(value, scratch, PREFIX_LENGTH)
  if (end < 0) {
    // A negative result is minus the number of bytes that did not fit.
    const needed = scratch.length - end
    if (needed > MAX_SCRATCH) {
      const own = Buffer.allocUnsafe(needed)
      type.encode(value, own, PREFIX_LENGTH)
      writePrefix(own, schemaId)
      return own
    }
    scratch = Buffer.allocUnsafe(Math.min(MAX_SCRATCH, Math.max(scratch.length * 2, needed)))
    end = type.encode(value, scratch, PREFIX_LENGTH)
  }
  return copyFramed(end, schemaId)
}

function copyFramed(end: number, schemaId: number): Buffer {
  writePrefix(scratch, schemaId)
  const framed = Buffer.allocUnsafe(end)
  scratch.copy(framed, 0, 0, end)
  return framed
}

/**
 * Decodes the Avro body that starts at `offset` and must end with `bytes`. Throws with avsc's
 * wording ("truncated buffer", "trailing data") so callers can wrap one message.
 *
 * Without a resolver (writer schema = reader schema) the type's compiled reader runs first; it
 * hands anything but a clean body back to avsc, so results and errors are avsc's.
 */
export function decodeBody(
  type: avsc.Type,
  bytes: Buffer,
  offset: number,
  resolver: Resolver | null,
): unknown {
  if (resolver === null) {
    const read = compiledReader(type)
    if (read !== undefined) {
      const value = read(bytes, offset)
      if (value !== BAIL) return value
    }
  }
  return decodeWithAvsc(type, bytes, offset, resolver)
}

/** avsc's own decoding, the reference the compiled readers are tested against. */
export function decodeWithAvsc(
  type: avsc.Type,
  bytes: Buffer,
  offset: number,
  resolver: Resolver | null,
): unknown {
  const { value, offset: end } =
    resolver === null ? type.decode(bytes, offset) : type.decode(bytes, offset, resolver)
  if (end < 0) throw new Error('truncated buffer')
  if (end !== bytes.length) throw new Error(`trailing data: ${bytes.length - end} bytes after the Avro value`)
  return value
}
