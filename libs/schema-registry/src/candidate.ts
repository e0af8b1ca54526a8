import { validateReferences } from './avro.ts'
import { type Metadata, parseMetadata, parseRuleSet, type RuleSet } from './contracts.ts'
import { httpErrors } from './errors.ts'
import type { SchemaReference } from './records.ts'
import { checkSchemaType, type ParsedSchema, parseSchema } from './schema-types.ts'
import type { RegistryState } from './state.ts'

/** A schema from a request body, validated, parsed and in its stored form. */
export interface Candidate {
  readonly schema: string
  readonly schemaType: string
  readonly references: readonly SchemaReference[]
  readonly parsed: ParsedSchema
  /** As the request gave them; registration merges them with the config and the previous version. */
  readonly metadata?: Metadata
  readonly ruleSet?: RuleSet
}

/** Reads `{schema, schemaType?, references?, metadata?, ruleSet?}`; unknown fields are ignored. */
export function candidateFrom(state: RegistryState, body: unknown, normalize: boolean): Candidate {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw httpErrors.invalidSchema('the request body must be a JSON object with a "schema" field')
  }
  const fields = body as Record<string, unknown>
  const schemaType = checkSchemaType(fields['schemaType'])
  const raw = fields['schema']
  if (typeof raw !== 'string' || raw.trim() === '') throw httpErrors.invalidSchema('empty schema')
  const references = validateReferences(fields['references'])
  const parsed = parseSchema(schemaType, raw, state.resolve(references), { normalize })
  const metadata = parseMetadata(fields['metadata'])
  const ruleSet = parseRuleSet(fields['ruleSet'])
  return {
    schema: parsed.canonical,
    schemaType,
    references,
    parsed,
    ...(metadata ? { metadata } : {}),
    ...(ruleSet ? { ruleSet } : {}),
  }
}

/** Parses a stored schema (already valid when it was registered). */
export function parseStored(
  state: RegistryState,
  entry: { schemaType: string; schema: string; references: readonly SchemaReference[] },
): ParsedSchema {
  return parseSchema(checkSchemaType(entry.schemaType), entry.schema, state.resolve(entry.references), {
    normalize: false,
    strict: false,
  })
}
