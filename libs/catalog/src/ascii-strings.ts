import avsc from 'avsc'

/*
 * avsc writes every string with a native Buffer.byteLength call first (and a native utf8Write for
 * strings over 64 characters), ~40% of encoding a string-heavy event. Most event strings are
 * ASCII, where the byte length is the string's length: this type writes those with one JS loop
 * and no native call, and gives anything else (non-ASCII, long, no room left) to avsc's own write.
 * The bytes are the same either way (test/unit/catalog/ascii-strings.test.ts).
 */

interface Tap {
  buf: Buffer
  pos: number
}

// Lengths whose zig-zag varint takes at most two bytes (2 * 4095 < 2^14), and a loop stays short.
const MAX_FAST_LENGTH = 4095

const avscStringWrite = (
  avsc.types.StringType.prototype as unknown as {
    _write(this: avsc.Type, tap: Tap, value: unknown): void
  }
)._write

/**
 * Writes `value` as `type` (a string type) would: ASCII strings here, anything else (not a string:
 * avsc throws its error; non-ASCII; too long; no room left: avsc reports it) by avsc.
 */
export function writeString(type: avsc.Type, tap: Tap, value: unknown): void {
  if (typeof value === 'string' && value.length <= MAX_FAST_LENGTH) {
    const length = value.length
    const buf = tap.buf
    const pos = tap.pos
    const start = length < 64 ? pos + 1 : pos + 2
    if (start + length <= buf.length) {
      let i = 0
      for (; i < length; i++) {
        const code = value.charCodeAt(i)
        if (code >= 0x80) break
        buf[start + i] = code
      }
      if (i === length) {
        if (length < 64) {
          buf[pos] = length << 1
        } else {
          buf[pos] = ((length << 1) & 0x7f) | 0x80
          buf[pos + 1] = length >> 6
        }
        tap.pos = start + length
        return
      }
    }
  }
  avscStringWrite.call(type, tap, value)
}

export class AsciiStringType extends avsc.types.StringType {
  _write(tap: Tap, value: unknown): void {
    writeString(this, tap, value)
  }
}

/** avsc `typeHook` part: plain strings (not the underlying type of a logical type) write faster. */
export function asciiStrings(schema: unknown): avsc.Type | undefined {
  if (schema === 'string') return new AsciiStringType()
  if (typeof schema === 'object' && schema !== null && !Array.isArray(schema)) {
    const attrs = schema as { type?: unknown; logicalType?: unknown }
    if (attrs.type === 'string' && attrs.logicalType === undefined) return new AsciiStringType()
  }
  return undefined
}
