import { logicalTypes } from '@event-backbone/catalog'
import type avsc from 'avsc'
import { CodeGenerator, SAFE_LONG, type SchemaNode, Unsupported } from './codegen.ts'

/*
 * A reader compiled per schema (new Function, as avsc compiles its record readers) for the common
 * case: the writer schema is the reader schema. avsc reads field by field through polymorphic
 * `_read` calls on a Tap (union → logical type → long → Tap); the compiled reader is one
 * monomorphic function with every field inlined and positions in locals.
 *
 * It never decides an error itself. Whenever the body is anything but a clean, complete value
 * (overrun, bad length, enum or union index, unsafe long, oversized block, trailing bytes) it returns
 * BAIL and the caller decodes the same bytes with avsc, whose result or error message is then the
 * one reported. So the compiled reader only ever returns what avsc would return for the same bytes:
 * same values, same record constructors, same `Date`s (test/unit/serde/compiled-reader.test.ts).
 */

/** Returned by a compiled reader instead of a value: "let avsc decode this body". */
export const BAIL: unique symbol = Symbol('bail')

export type CompiledReader = (buf: Buffer, pos: number) => unknown

type Node = SchemaNode & { recordConstructor?: new (...values: unknown[]) => unknown }

/**
 * Generates the reader's source. `p` is the read position, `n` the body's end; each value lands in
 * a fresh `v<k>` local.
 */
class Generator extends CodeGenerator {
  /**
   * Avro zig-zag varint with avsc's Tap#readLong result, bytes past the end reading as 0. Varints
   * below 2^53 (every millisecond timestamp) use integer arithmetic only; avsc's float loop, with
   * its slow `%`, was the hottest line of reading a record with three timestamps. Larger ones take
   * avsc's loop itself, whose rounding above 2^53 is then reproduced exactly.
   */
  long(target: string): string {
    const [b, k, high, shift, q, f] = [
      this.local(),
      this.local(),
      this.local(),
      this.local(),
      this.local(),
      this.local(),
    ]
    return `let ${target} = 0, ${b} = 0, ${k} = 0;
do { ${b} = buf[p++]; ${target} |= (${b} & 0x7f) << ${k}; ${k} += 7 } while ((${b} & 0x80) && ${k} < 28);
if (${b} & 0x80) {
  let ${high} = 0, ${shift} = 0, ${q} = p;
  do { ${b} = buf[${q}++]; ${high} |= (${b} & 0x7f) << ${shift}; ${shift} += 7 } while ((${b} & 0x80) && ${shift} < 28);
  if ((${b} & 0x80) || ${high} >= 33554432) {
    let ${f} = ${target}, fk = 268435456;
    do { ${b} = buf[p++]; ${f} += (${b} & 0x7f) * fk; fk *= 128 } while (${b} & 0x80);
    ${target} = (${f} % 2 ? -(${f} + 1) : ${f}) / 2;
  } else {
    p = ${q};
    ${target} = ${target} & 1 ? -(${high} * 134217728 + (${target} >>> 1)) - 1 : ${high} * 134217728 + (${target} >>> 1);
  }
} else ${target} = (${target} >> 1) ^ -(${target} & 1);
`
  }

  string(target: string): string {
    const length = this.local()
    const [bits, i] = [this.local(), this.local()]
    // One latin1 decode of the whole body, shared by every ASCII string as a substring: per-string
    // utf8Slice calls (a native call each) were ~40% of decoding. A string with any byte >= 0x80
    // is UTF-8 decoded on its own.
    return `${this.long(length)}if (${length} < 0 || p + ${length} > n) return BAIL;
let ${bits} = 0;
{ const e = p + ${length}; let ${i} = p; for (; ${i} + 4 <= e; ${i} += 4) ${bits} |= buf[${i}] | buf[${i} + 1] | buf[${i} + 2] | buf[${i} + 3]; for (; ${i} < e; ${i}++) ${bits} |= buf[${i}] }
const ${target} = ${bits} < 0x80 ? (whole ??= buf.latin1Slice(start, n)).substring(p - start, p - start + ${length}) : buf.utf8Slice(p, p + ${length}); p += ${length};
`
  }

  /** Code that reads one value of `type` into a new local `target`. */
  read(type: Node, target: string): string {
    if (type instanceof logicalTypes['timestamp-millis']) {
      const raw = this.local()
      return `${this.read(type.underlyingType as Node, raw)}const ${target} = new Date(${raw});\n`
    }
    if (type instanceof logicalTypes.uuid) return this.read(type.underlyingType as Node, target)
    switch (type.typeName) {
      case 'null':
        return `const ${target} = null;\n`
      case 'boolean':
        return `if (p >= n) return BAIL;\nconst ${target} = !!buf[p++];\n`
      case 'int': {
        const raw = this.local()
        return `${this.long(raw)}const ${target} = ${raw};\n`
      }
      case 'long': {
        const raw = this.local()
        return `${this.long(raw)}if (!(${raw} >= -${SAFE_LONG} && ${raw} <= ${SAFE_LONG})) return BAIL;\nconst ${target} = ${raw};\n`
      }
      case 'float':
        return `if (p + 4 > n) return BAIL;\nconst ${target} = buf.readFloatLE(p); p += 4;\n`
      case 'double':
        return `if (p + 8 > n) return BAIL;\nconst ${target} = buf.readDoubleLE(p); p += 8;\n`
      case 'string':
        return this.string(target)
      case 'enum': {
        const index = this.local()
        const symbols = this.external(type.symbols)
        return `${this.long(index)}const ${target} = ${symbols}[${index}];\nif (${target} === undefined) return BAIL;\n`
      }
      case 'union:unwrapped':
        return this.union(type, target)
      case 'array':
        return this.array(type, target)
      case 'map':
        return this.map(type, target)
      case 'record':
        return this.record(type, target)
      default:
        // bytes, fixed, wrapped unions, errors, other logical types: avsc reads these.
        throw new Unsupported(type.typeName)
    }
  }

  union(type: Node, target: string): string {
    const index = this.local()
    let code = `${this.long(index)}let ${target};\nswitch (${index}) {\n`
    for (const [i, branch] of (type.types ?? []).entries()) {
      const value = this.local()
      code += `case ${i}: {\n${this.read(branch as Node, value)}${target} = ${value}; break }\n`
    }
    return `${code}default: return BAIL;\n}\n`
  }

  /** Block count as avsc's bounded collections read it; a count beyond the bytes left bails. */
  blockCount(count: string): string {
    const skipped = this.local()
    return `${this.long(count)}if (${count} < 0) { ${count} = -${count}; ${this.long(skipped)} }
if (${count} > n - p) return BAIL;
`
  }

  array(type: Node, target: string): string {
    const count = this.local()
    const item = this.local()
    return `const ${target} = [];
for (;;) {
${this.blockCount(count)}if (${count} === 0) break;
while (${count}--) {
${this.read(type.itemsType as Node, item)}${target}.push(${item});
}
}
`
  }

  map(type: Node, target: string): string {
    const count = this.local()
    const key = this.local()
    const value = this.local()
    return `const ${target} = {};
for (;;) {
${this.blockCount(count)}if (${count} === 0) break;
while (${count}--) {
${this.mapKey(key)}${this.read(type.valuesType as Node, value)}${target}[${key}] = ${value};
}
}
`
  }

  /**
   * Map keys repeat from record to record, and a property key is only cheap to add once V8 has it
   * internalized (finding it in the string table was ~30% of reading a record with a 2-entry map).
   * A small cache per map type, by length and first and last byte, checked byte for byte, hands
   * back the internalized key.
   */
  mapKey(target: string): string {
    const length = this.local()
    const keys = this.external(new Array(256).fill(undefined))
    const [slot, hit, j] = [this.local(), this.local(), this.local()]
    const decoded = this.local()
    return `${this.long(length)}if (${length} < 0 || p + ${length} > n) return BAIL;
let ${target};
if (${length} > 0 && ${length} <= 32) {
const ${slot} = (${length} * 31 + buf[p] * 7 + buf[p + ${length} - 1]) & 255;
const ${hit} = ${keys}[${slot}];
if (${hit} !== undefined && ${hit}.bytes.length === ${length}) {
  let ${j} = 0; const hb = ${hit}.bytes; while (${j} < ${length} && hb[${j}] === buf[p + ${j}]) ${j}++;
  if (${j} === ${length}) ${target} = ${hit}.key;
}
if (${target} === undefined) {
  const ${decoded} = buf.utf8Slice(p, p + ${length});
  ${target} = Object.keys({ [${decoded}]: 0 })[0];
  ${keys}[${slot}] = { bytes: Uint8Array.prototype.slice.call(buf, p, p + ${length}), key: ${target} };
}
} else ${target} = ${length} === 0 ? '' : buf.utf8Slice(p, p + ${length});
p += ${length};
`
  }

  record(type: Node, target: string): string {
    // A recursive schema would inline forever; avsc reads those.
    if (this.onPath.has(type)) throw new Unsupported('recursive record')
    this.onPath.add(type)
    const construct = this.external(type.recordConstructor)
    const values: string[] = []
    let code = ''
    for (const field of type.fields ?? []) {
      const value = this.local()
      values.push(value)
      code += this.read(field.type as Node, value)
    }
    this.onPath.delete(type)
    return `${code}const ${target} = new ${construct}(${values.join(', ')});\n`
  }
}

/**
 * A reader for bodies written with `type` itself, or undefined when the schema uses something the
 * generator does not handle (bytes, fixed, wrapped unions, recursion): then avsc reads as before.
 */
export function compileReader(type: avsc.Type): CompiledReader | undefined {
  const generator = new Generator()
  let body: string
  try {
    body = generator.read(type as Node, 'value')
  } catch (error) {
    if (error instanceof Unsupported) return undefined
    throw error
  }
  const names = generator.externals.map((_, i) => `x${i}`)
  const source = `return function read(buf, p) {
const n = buf.length, start = p;
let whole;
${body}return p === n ? value : BAIL;
}`
  // Generated from a parsed schema, as avsc generates its record readers.
  return new Function('BAIL', ...names, source)(BAIL, ...generator.externals) as CompiledReader
}

const compiled = new WeakMap<avsc.Type, CompiledReader | null>()

/** The compiled reader of `type`, generated once per type. */
export function compiledReader(type: avsc.Type): CompiledReader | undefined {
  let reader = compiled.get(type)
  if (reader === undefined) {
    reader = compileReader(type) ?? null
    compiled.set(type, reader)
  }
  return reader ?? undefined
}
