import { logicalTypes } from '@event-backbone/catalog'
import type avsc from 'avsc'
import { CodeGenerator, SAFE_LONG, type SchemaNode, Unsupported } from './codegen.ts'

/*
 * The writing twin of compiled-reader.ts: one generated function per schema that checks and writes
 * a value with every field inlined, instead of avsc's `_write` dispatch through record, union,
 * logical and primitive types. Its checks are avsc's, or stricter: whenever a value is anything but
 * plainly valid (wrong type, missing field that has a default, non-Date timestamp, bad uuid or enum
 * symbol, unsafe long) or the buffer runs out, it returns BAIL_WRITE and the caller encodes the same
 * value with avsc, which then writes it or throws its own error. What it does write is avsc's bytes
 * (test/unit/serde/compiled-writer.test.ts).
 */

/** Returned instead of an end position: "let avsc encode this value". */
export const BAIL_WRITE = -1

/** Writes `value` into `buf` from `pos`; the end position, or BAIL_WRITE. */
export type CompiledWriter = (value: unknown, buf: Buffer, pos: number) => number

type Node = SchemaNode & { _toValue?(value: unknown): unknown }

/** avsc's Tap#writeLong; -1 when fewer than 10 bytes are left (a varint takes at most 10). */
function writeLong(buf: Buffer, pos: number, n: number): number {
  if (pos + 10 > buf.length) return BAIL_WRITE
  let p = pos
  if (n >= -1073741824 && n < 1073741824) {
    let m = n >= 0 ? n << 1 : (~n << 1) | 1
    while (m > 0x7f) {
      buf[p++] = (m & 0x7f) | 0x80
      m >>= 7
    }
    buf[p++] = m
  } else {
    // Float arithmetic, as avsc: `f & 0x7f` takes the low bits of the integer part.
    let f = n >= 0 ? n * 2 : -n * 2 - 1
    while (f >= 128) {
      buf[p++] = (f & 0x7f) | 0x80
      f /= 128
    }
    buf[p++] = f & 0x7f
  }
  return p
}

type NativeWrite = Buffer & { utf8Write(text: string, offset: number, length: number): number }

// Strings up to this length are copied by a JS loop when ASCII; longer ones are worth the two
// native calls (byte length, then utf8Write) avsc makes for every string.
const MAX_LOOP_LENGTH = 255

/** A string as avsc writes it (varint byte length, UTF-8 bytes); ASCII without a native call. */
function writeString(buf: Buffer, pos: number, s: string): number {
  const length = s.length
  // An ASCII string's byte length is its length, whose varint takes 1 byte below 64, else 2.
  const start = length < 64 ? pos + 1 : pos + 2
  if (length <= MAX_LOOP_LENGTH && start + length <= buf.length) {
    let i = 0
    for (; i < length; i++) {
      const code = s.charCodeAt(i)
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
      return start + length
    }
  }
  const bytes = Buffer.byteLength(s)
  const p = writeLong(buf, pos, bytes)
  if (p < 0 || p + bytes > buf.length) return BAIL_WRITE
  ;(buf as NativeWrite).utf8Write(s, p, bytes)
  return p + bytes
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

class Generator extends CodeGenerator {
  long(value: string): string {
    return `p = writeLong(buf, p, ${value}); if (p < 0) return BAIL;\n`
  }

  /** Code that checks `value` against `type` and writes it, or returns BAIL. */
  write(type: Node, value: string): string {
    if (type instanceof logicalTypes['timestamp-millis'] || type instanceof logicalTypes.uuid) {
      // The logical type's own conversion: undefined (or NaN) for what avsc would refuse.
      const logical = this.external(type)
      const raw = this.local()
      return `const ${raw} = ${logical}._toValue(${value});\n${this.write(type.underlyingType as Node, raw)}`
    }
    switch (type.typeName) {
      case 'null':
        return `if (${value} !== null) return BAIL;\n`
      case 'boolean':
        return `if (typeof ${value} !== 'boolean' || p >= buf.length) return BAIL;\nbuf[p++] = ${value} ? 1 : 0;\n`
      case 'int':
        return `if (typeof ${value} !== 'number' || ${value} !== (${value} | 0)) return BAIL;\n${this.long(value)}`
      case 'long':
        return `if (typeof ${value} !== 'number' || ${value} % 1 !== 0 || !(${value} >= -${SAFE_LONG} && ${value} <= ${SAFE_LONG})) return BAIL;\n${this.long(value)}`
      case 'float':
        return `if (typeof ${value} !== 'number' || p + 4 > buf.length) return BAIL;\nbuf.writeFloatLE(${value}, p); p += 4;\n`
      case 'double':
        return `if (typeof ${value} !== 'number' || p + 8 > buf.length) return BAIL;\nbuf.writeDoubleLE(${value}, p); p += 8;\n`
      case 'string':
        return `if (typeof ${value} !== 'string') return BAIL;\np = writeString(buf, p, ${value}); if (p < 0) return BAIL;\n`
      case 'enum': {
        const indices = this.external(new Map((type.symbols ?? []).map((symbol, i) => [symbol, i])))
        const index = this.local()
        return `const ${index} = ${indices}.get(${value});\nif (${index} === undefined) return BAIL;\n${this.long(index)}`
      }
      case 'union:unwrapped':
        return this.union(type, value)
      case 'array':
        return this.array(type, value)
      case 'map':
        return this.map(type, value)
      case 'record':
        return this.record(type, value)
      default:
        throw new Unsupported(type.typeName)
    }
  }

  /**
   * Only `null` plus one other branch whose values avsc tells apart by `typeof` alone (as every
   * optional field in the catalog): then the branch a valid value takes is never in doubt.
   */
  union(type: Node, value: string): string {
    const branches = type.types ?? []
    const nullIndex = branches.findIndex((branch) => branch.typeName === 'null')
    const other = branches.findIndex((branch) => branch.typeName !== 'null')
    const otherType = branches[other] as Node | undefined
    const plain = ['string', 'enum', 'boolean', 'int', 'long', 'float', 'double']
    if (
      branches.length !== 2 ||
      nullIndex < 0 ||
      otherType === undefined ||
      !plain.includes(otherType.typeName)
    ) {
      throw new Unsupported('union')
    }
    return `if (${value} === null) {\n${this.long(String(nullIndex))}} else {\n${this.long(String(other))}${this.write(otherType, value)}}\n`
  }

  array(type: Node, value: string): string {
    const [i, item] = [this.local(), this.local()]
    return `if (!Array.isArray(${value})) return BAIL;
if (${value}.length > 0) {
${this.long(`${value}.length`)}for (let ${i} = 0; ${i} < ${value}.length; ${i}++) {
const ${item} = ${value}[${i}];
${this.write(type.itemsType as Node, item)}}
}
${this.long('0')}`
  }

  map(type: Node, value: string): string {
    const [keys, i, key, item] = [this.local(), this.local(), this.local(), this.local()]
    return `if (!isObject(${value})) return BAIL;
const ${keys} = Object.keys(${value});
if (${keys}.length > 0) {
${this.long(`${keys}.length`)}for (let ${i} = 0; ${i} < ${keys}.length; ${i}++) {
const ${key} = ${keys}[${i}];
p = writeString(buf, p, ${key}); if (p < 0) return BAIL;
const ${item} = ${value}[${key}];
${this.write(type.valuesType as Node, item)}}
}
${this.long('0')}`
  }

  record(type: Node, value: string): string {
    if (this.onPath.has(type)) throw new Unsupported('recursive record')
    this.onPath.add(type)
    let code = `if (typeof ${value} !== 'object' || ${value} === null) return BAIL;\n`
    for (const field of type.fields ?? []) {
      const fieldValue = this.local()
      // A missing field is avsc's to fill with its default (or to refuse).
      code += `const ${fieldValue} = ${value}[${JSON.stringify(field.name)}];\nif (${fieldValue} === undefined) return BAIL;\n`
      code += this.write(field.type as Node, fieldValue)
    }
    this.onPath.delete(type)
    return code
  }
}

/** A writer for values of `type`, or undefined when the schema uses what the generator does not handle. */
export function compileWriter(type: avsc.Type): CompiledWriter | undefined {
  const generator = new Generator()
  let body: string
  try {
    body = generator.write(type as Node, 'value')
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
  const names = generator.externals.map((_, i) => `x${i}`)
  const source = `return function write(value, buf, p) {\n${body}return p;\n}`
  // Generated from a parsed schema, as avsc generates its record writers.
  return new Function('BAIL', 'writeLong', 'writeString', 'isObject', ...names, source)(
    BAIL_WRITE,
    writeLong,
    writeString,
    isObject,
    ...generator.externals,
  ) as CompiledWriter
}

const compiled = new WeakMap<avsc.Type, CompiledWriter | null>()

/** The compiled writer of `type`, generated once per type. */
export function compiledWriter(type: avsc.Type): CompiledWriter | undefined {
  let writer = compiled.get(type)
  if (writer === undefined) {
    writer = compileWriter(type) ?? null
    compiled.set(type, writer)
  }
  return writer ?? undefined
}
