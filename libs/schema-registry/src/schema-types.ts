import { canonicalForm, parseAvro, type ResolvedSchema, type Type } from './avro.ts'
import { httpErrors } from './errors.ts'
import { parseJsonSchema } from './json-schema.ts'
import { parseProtobuf } from './protobuf.ts'

/** The schema types this registry accepts, as `GET /schemas/types` lists them. */
export const SCHEMA_TYPES = ['JSON', 'PROTOBUF', 'AVRO'] as const
export type SchemaType = (typeof SCHEMA_TYPES)[number]

/** A parsed schema of any type: its stored form and how it reads data written with another. */
export interface ParsedSchema {
  readonly schemaType: SchemaType
  /** The stored form (see each type's notes on normalisation). */
  readonly canonical: string
  /** Why this schema, as the reader, cannot read data written with `writer`; empty when it can. */
  readErrors(writer: ParsedSchema): string[]
}

/** `schemaType` of a request: absent means AVRO, as in CSR; anything unknown is 42201. */
export function checkSchemaType(schemaType: unknown): SchemaType {
  if (schemaType === undefined || schemaType === null) return 'AVRO'
  if (typeof schemaType === 'string' && (SCHEMA_TYPES as readonly string[]).includes(schemaType)) {
    return schemaType as SchemaType
  }
  throw httpErrors.invalidSchema(`invalid schema type ${JSON.stringify(schemaType)}`)
}

function avroSchema(type: Type, canonical: string): ParsedSchema & { readonly type: Type } {
  return {
    schemaType: 'AVRO',
    canonical,
    type,
    readErrors(writer) {
      if (writer.schemaType !== 'AVRO') return [`the writer is ${writer.schemaType}, not AVRO`]
      try {
        type.createResolver((writer as ParsedSchema & { type: Type }).type)
        return []
      } catch (error) {
        return [(error as Error).message]
      }
    },
  }
}

/**
 * Parses a schema of any type with its resolved references; 42201 when the type's specification
 * rejects it. `strict: false` is for schemas already stored (parsed again for compatibility).
 */
export function parseSchema(
  schemaType: SchemaType,
  schema: string,
  references: readonly ResolvedSchema[],
  options: { normalize: boolean; strict?: boolean },
): ParsedSchema {
  for (const reference of references) {
    if (reference.schemaType !== schemaType) {
      throw httpErrors.invalidSchema(
        `reference ${reference.name} is a ${reference.schemaType} schema, not ${schemaType}`,
      )
    }
  }
  switch (schemaType) {
    case 'AVRO': {
      const type = parseAvro(schema, references, options.strict === false ? { strict: false } : {})
      return avroSchema(type, canonicalForm(schema, type, options.normalize, references.length > 0))
    }
    case 'JSON':
      return parseJsonSchema(schema, references, options.normalize)
    case 'PROTOBUF':
      return parseProtobuf(schema, references)
  }
}
