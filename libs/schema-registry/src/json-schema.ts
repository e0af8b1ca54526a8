import { Ajv, type AnySchema } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { ResolvedSchema } from './avro.ts'
import { httpErrors } from './errors.ts'
import { jsonSchemaDifferences } from './json-schema-diff.ts'
import type { ParsedSchema } from './schema-types.ts'

/** A parsed JSON Schema: the document and the documents its references name, by `$ref` URL. */
export interface JsonSchemaDocument extends ParsedSchema {
  readonly schemaType: 'JSON'
  readonly document: unknown
  readonly referenced: ReadonlyMap<string, unknown>
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw httpErrors.invalidSchema(`not valid JSON: ${(error as Error).message}`)
  }
}

/** The validator for the draft a schema declares: draft-07 (and older) unless `$schema` names 2019-09 or 2020-12. */
function validatorFor(document: unknown): Ajv {
  const declared =
    typeof document === 'object' && document !== null
      ? (document as { $schema?: unknown }).$schema
      : undefined
  // Unknown keywords and formats are allowed (CSR accepts them); the meta-schema still applies.
  const options = { strict: false, validateFormats: false, allErrors: false } as const
  if (typeof declared === 'string' && declared.includes('2020-12')) return new Ajv2020(options)
  if (typeof declared === 'string' && declared.includes('2019-09')) return new Ajv2019(options)
  return new Ajv(options)
}

function collect(references: readonly ResolvedSchema[], into: Map<string, unknown>): void {
  for (const reference of references) {
    collect(reference.references, into)
    if (!into.has(reference.name)) into.set(reference.name, parseJson(reference.schema))
  }
}

/** Sorts object keys recursively: key order means nothing in JSON Schema. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  )
}

/**
 * Parses and compiles a JSON Schema with ajv: a document the meta-schema rejects, or a `$ref`
 * that neither the document nor a reference resolves, is 42201. References are added under
 * their names, so `{"$ref": "<name>"}` finds them (CSR's convention).
 */
export function parseJsonSchema(
  text: string,
  references: readonly ResolvedSchema[],
  normalize: boolean,
): JsonSchemaDocument {
  const document = parseJson(text)
  if (
    typeof document !== 'boolean' &&
    (typeof document !== 'object' || document === null || Array.isArray(document))
  ) {
    throw httpErrors.invalidSchema('a JSON Schema is an object or a boolean')
  }
  const referenced = new Map<string, unknown>()
  collect(references, referenced)
  const ajv = validatorFor(document)
  try {
    for (const [name, schema] of referenced) {
      if (typeof schema === 'object' && schema !== null && '$id' in schema) ajv.addSchema(schema as AnySchema)
      ajv.addSchema(
        typeof schema === 'object' && schema !== null
          ? { ...(schema as object), $id: name }
          : (schema as AnySchema),
        name,
      )
    }
    ajv.compile(document as AnySchema)
  } catch (error) {
    throw httpErrors.invalidSchema((error as Error).message)
  }
  const canonical = JSON.stringify(normalize ? sortKeys(document) : document)
  const parsed: JsonSchemaDocument = {
    schemaType: 'JSON',
    canonical,
    document,
    referenced,
    readErrors(writer) {
      if (writer.schemaType !== 'JSON') return [`the writer is ${writer.schemaType}, not JSON`]
      return jsonSchemaDifferences(writer as JsonSchemaDocument, parsed)
    },
  }
  return parsed
}
