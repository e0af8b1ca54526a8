import avsc from 'avsc'
import { boundedCollections } from './bounded-collections.ts'

const { Type, types } = avsc

type AvroSchema = Parameters<typeof avsc.Type.forSchema>[0]

/**
 * `timestamp-millis` decodes to a `Date` and encodes from a `Date`. Plain numbers are refused on
 * encode so that a seconds-vs-milliseconds mix-up cannot slip through as a valid long.
 */
export class TimestampMillisType extends types.LogicalType {
  protected override _fromValue(value: number): Date {
    return new Date(value)
  }

  protected override _toValue(value: unknown): number | undefined {
    // An invalid Date gives NaN, which the underlying long rejects with the field's path.
    return value instanceof Date ? value.getTime() : undefined
  }

  // avsc calls the returned function unbound, so it must not use `this`.
  protected override _resolve(writer: avsc.Type): ((value: unknown) => Date) | undefined {
    if (Type.isType(writer, 'logical:timestamp-millis')) {
      return (value) => (value instanceof Date ? value : new Date(value as number))
    }
    if (Type.isType(writer, 'long', 'int')) return (value) => new Date(value as number)
    return undefined
  }
}

/** Canonical 8-4-4-4-12 hex form; a loop, as a regex here cost ~6% of encoding (benchmarks/serde). */
function isUuid(value: string): boolean {
  if (value.length !== 36) return false
  for (let i = 0; i < 36; i++) {
    const code = value.charCodeAt(i)
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 0x2d) return false
    } else if (
      !((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46))
    ) {
      return false
    }
  }
  return true
}

/** `uuid` stays a string in TypeScript; encoding checks the canonical 8-4-4-4-12 hex form. */
export class UuidType extends types.LogicalType {
  protected override _fromValue(value: string): string {
    return value
  }

  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && isUuid(value) ? value : undefined
  }

  protected override _resolve(writer: avsc.Type): ((value: unknown) => unknown) | undefined {
    return Type.isType(writer, 'string', 'logical:uuid') ? (value) => value : undefined
  }
}

/** The logical types every schema in the backbone is parsed with, catalog and registry alike. */
export const logicalTypes = {
  'timestamp-millis': TimestampMillisType,
  uuid: UuidType,
} as const

/**
 * Parses Avro schema JSON with the backbone's logical types. Readers and writers must both go
 * through here: a writer type parsed without them would hand the resolver plain longs.
 */
export function parseAvroSchema(schema: string | object): avsc.Type {
  const json = typeof schema === 'string' ? (JSON.parse(schema) as object) : schema
  // Records decode without avsc's helper methods on their prototype: events are plain data.
  return Type.forSchema(json as AvroSchema, {
    logicalTypes,
    omitRecordMethods: true,
    typeHook: boundedCollections as never,
  })
}
