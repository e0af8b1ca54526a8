import { canonicalForm, checkSchemaType, parseAvro, type Type, validateReferences } from './avro.ts'
import { httpErrors } from './errors.ts'
import type { SchemaReference } from './records.ts'
import { identityOf, type RegistryState } from './state.ts'

/** A schema from a request body, validated, parsed and in its stored form. */
export interface Candidate {
  readonly schema: string
  readonly schemaType: string
  readonly references: readonly SchemaReference[]
  readonly type: Type
  readonly identity: string
}

/** Reads `{schema, schemaType?, references?}`; unknown fields (metadata, ruleSet, id…) are ignored. */
export function candidateFrom(state: RegistryState, body: unknown, normalize: boolean): Candidate {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw httpErrors.invalidSchema('the request body must be a JSON object with a "schema" field')
  }
  const fields = body as Record<string, unknown>
  checkSchemaType(fields['schemaType'])
  const raw = fields['schema']
  if (typeof raw !== 'string' || raw.trim() === '') throw httpErrors.invalidSchema('empty schema')
  const references = validateReferences(fields['references'])
  const type = parseAvro(raw, state.resolve(references))
  const schema = canonicalForm(raw, type, normalize, references.length > 0)
  return { schema, schemaType: 'AVRO', references, type, identity: identityOf('AVRO', schema, references) }
}

/** Parses a stored schema (already valid when it was registered). */
export function parseStored(
  state: RegistryState,
  entry: { schema: string; references: readonly SchemaReference[] },
): Type {
  return parseAvro(entry.schema, state.resolve(entry.references))
}
