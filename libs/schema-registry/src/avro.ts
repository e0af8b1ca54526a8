import avsc from 'avsc'
import { httpErrors } from './errors.ts'
import type { SchemaReference } from './records.ts'

/** A schema whose references have been looked up: what a parser needs to parse it. */
export interface ResolvedSchema {
  /** The reference's name: an Avro full name, a JSON Schema `$ref` URL or a Protobuf import path. */
  readonly name: string
  readonly schemaType: string
  readonly schema: string
  readonly references: readonly ResolvedSchema[]
}

export type Type = avsc.Type

function parseJson(schema: string): unknown {
  try {
    return JSON.parse(schema)
  } catch (error) {
    throw httpErrors.invalidSchema(`not valid JSON: ${(error as Error).message}`)
  }
}

function addToRegistry(resolved: ResolvedSchema, registry: Record<string, avsc.Type>): void {
  for (const reference of resolved.references) addToRegistry(reference, registry)
  avsc.Type.forSchema(JSON.parse(resolved.schema) as avsc.Schema, { registry })
}

/**
 * Parses an Avro schema with its references: the referenced schemas are parsed first into one
 * named-type registry, so the schema can name their types (Confluent's reference semantics).
 */
export function parseAvro(
  schema: string,
  references: readonly ResolvedSchema[] = [],
  options: { strict?: boolean } = {},
): avsc.Type {
  const json = parseJson(schema)
  const registry: Record<string, avsc.Type> = {}
  try {
    for (const reference of references) addToRegistry(reference, registry)
  } catch (error) {
    throw httpErrors.invalidSchema(`a referenced schema does not parse: ${(error as Error).message}`)
  }
  try {
    // The Avro specification requires a name for records, enums and fixed types (CSR refuses them
    // too); `strict: false` only for schemas that are already stored.
    return avsc.Type.forSchema(json as avsc.Schema, { registry, noAnonymousTypes: options.strict !== false })
  } catch (error) {
    throw httpErrors.invalidSchema((error as Error).message)
  }
}

/**
 * The stored form. Without normalisation it is the compact JSON of what the client sent (so the
 * same schema with other whitespace is the same schema); with it, avsc's own rendering, which
 * qualifies names and orders attributes. Schemas with references are never inlined.
 */
export function canonicalForm(
  schema: string,
  type: avsc.Type,
  normalize: boolean,
  hasReferences: boolean,
): string {
  if (normalize && !hasReferences) return JSON.stringify(type.schema({ exportAttrs: true }))
  return JSON.stringify(JSON.parse(schema))
}

export function sameReferences(a: readonly SchemaReference[], b: readonly SchemaReference[]): boolean {
  if (a.length !== b.length) return false
  return a.every((ref, i) => {
    const other = b[i]!
    return ref.name === other.name && ref.subject === other.subject && ref.version === other.version
  })
}

export function validateReferences(references: unknown): SchemaReference[] {
  if (references === undefined || references === null) return []
  if (!Array.isArray(references)) throw httpErrors.invalidSchema('references must be an array')
  return references.map((ref: unknown) => {
    const r = ref as Partial<SchemaReference> | null
    if (
      r === null ||
      typeof r !== 'object' ||
      typeof r.name !== 'string' ||
      typeof r.subject !== 'string' ||
      typeof r.version !== 'number'
    ) {
      throw httpErrors.invalidSchema('each reference needs a name, a subject and a version')
    }
    return { name: r.name, subject: r.subject, version: r.version }
  })
}
