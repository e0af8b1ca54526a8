import avsc from 'avsc'

/*
 * avsc trusts the item count that opens each array or map block. A hostile or corrupt record can
 * claim 2^31 items in a few bytes, and avsc then loops (and allocates) that many times: a consumer
 * stalls for minutes or runs out of memory on a 6-byte record. Every map entry, and every array item
 * of a type that cannot encode to zero bytes, takes at least one byte, so a block that claims more
 * items than bytes remain is refused at once. The read loops are avsc 5.7's, plus that bound.
 */

interface Tap {
  buf: Buffer
  pos: number
  readLong(): number
  skipLong(): void
  readString(): string
}

// `this` in a read is the type itself, or a resolver that copied `_read` from it; a resolver's
// children are resolvers that know their reader type.
interface Reader {
  _read(tap: Tap): unknown
  _skip(tap: Tap): void
  readonly _readerType?: avsc.Type
}

type Node = avsc.Type & {
  fields?: Array<{ type: avsc.Type }>
  underlyingType?: avsc.Type
  size?: number
}

/** The fewest bytes a value of `type` can take: 0 for null, empty records and fixed(0). */
function minimumSize(type: Node, seen = new Set<avsc.Type>()): number {
  if (seen.has(type)) return 1
  seen.add(type)
  switch (type.typeName) {
    case 'null':
      return 0
    case 'record':
    case 'error':
      return (type.fields ?? []).reduce((sum, field) => sum + minimumSize(field.type as Node, seen), 0)
    case 'fixed':
      return type.size ?? 0
    default:
      return type.underlyingType ? minimumSize(type.underlyingType as Node, seen) : 1
  }
}

/** Reads a block's item count; 0 ends the collection. */
function blockCount(tap: Tap, items: Reader | undefined): number {
  let n = tap.readLong()
  if (n < 0) {
    n = -n
    tap.skipLong() // the block's size in bytes, which avsc does not use either
  }
  const remaining = tap.buf.length - tap.pos
  // The size check runs only for suspicious counts, so honest records pay one comparison.
  if (n > remaining && (items === undefined || minimumSize((items._readerType ?? items) as Node) > 0)) {
    throw new Error(`a block claims ${n} items but only ${remaining} bytes remain`)
  }
  return n
}

export class BoundedArrayType extends avsc.types.ArrayType {
  _read(this: { itemsType: Reader }, tap: Tap): unknown[] {
    const items = this.itemsType
    const values: unknown[] = []
    for (let n = blockCount(tap, items); n !== 0; n = blockCount(tap, items)) {
      while (n--) values.push(items._read(tap))
    }
    return values
  }

  _skip(this: { itemsType: Reader }, tap: Tap): void {
    const items = this.itemsType
    for (let n = blockCount(tap, items); n !== 0; n = blockCount(tap, items)) {
      while (n--) items._skip(tap)
    }
  }
}

export class BoundedMapType extends avsc.types.MapType {
  _read(this: { valuesType: Reader }, tap: Tap): Record<string, unknown> {
    const values = this.valuesType
    const result: Record<string, unknown> = {}
    for (let n = blockCount(tap, undefined); n !== 0; n = blockCount(tap, undefined)) {
      while (n--) {
        const key = tap.readString()
        result[key] = values._read(tap)
      }
    }
    return result
  }

  _skip(this: { valuesType: Reader }, tap: Tap): void {
    const values = this.valuesType
    for (let n = blockCount(tap, undefined); n !== 0; n = blockCount(tap, undefined)) {
      while (n--) {
        tap.readString()
        values._skip(tap)
      }
    }
  }
}

/** avsc `typeHook`: arrays and maps become their bounded variants. */
export function boundedCollections(schema: unknown, opts: object): avsc.Type | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined
  const type = (schema as { type?: unknown }).type
  if ('logicalType' in schema) return undefined
  if (type === 'array') return new BoundedArrayType(schema as never, opts)
  if (type === 'map') return new BoundedMapType(schema as never, opts)
  return undefined
}
