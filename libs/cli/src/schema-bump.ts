import { parseAvroSchema } from '@event-backbone/catalog'
import { checkCompatibility, parseSchema } from '../../schema-registry/index.ts'

/** Semantic-version bumps, weakest first. */
export const bumps = ['none', 'patch', 'minor', 'major'] as const
export type Bump = (typeof bumps)[number]

export function strongest(...candidates: readonly Bump[]): Bump {
  return candidates.reduce<Bump>((a, b) => (bumps.indexOf(b) > bumps.indexOf(a) ? b : a), 'none')
}

export interface SchemaChange {
  readonly eventType: string
  readonly change: 'unchanged' | 'documentation' | 'compatible' | 'incompatible' | 'added' | 'removed'
  readonly bump: Bump
  readonly messages: readonly string[]
}

const bumpOf: Record<SchemaChange['change'], Bump> = {
  unchanged: 'none',
  documentation: 'patch',
  added: 'minor',
  compatible: 'minor',
  incompatible: 'major',
  removed: 'major',
}

// Avro's parsing canonical form drops docs, so a docs-only edit compares equal.
function canonical(text: string): string {
  return JSON.stringify(parseAvroSchema(JSON.parse(text) as object).schema())
}

/**
 * What a schema change means for the version of the package that carries the schemas
 * (@event-backbone/catalog), judged as `backbone schemas check` judges it against the registry:
 * the BACKWARD compatibility of every subject (the catalog's level), with avsc's schema resolution.
 * A change that would break consumers of the data already written is a major version; a new event
 * type or a compatible change is minor; documentation alone is a patch.
 */
export function schemaChanges(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): SchemaChange[] {
  const changes: SchemaChange[] = []
  const change = (eventType: string, kind: SchemaChange['change'], messages: readonly string[] = []) =>
    changes.push({ eventType, change: kind, bump: bumpOf[kind], messages })
  for (const eventType of Object.keys(before).sort()) {
    if (!(eventType in after)) change(eventType, 'removed', [`${eventType} is no longer in the catalog`])
  }
  for (const [eventType, text] of Object.entries(after).sort(([a], [b]) => a.localeCompare(b))) {
    const old = before[eventType]
    if (old === undefined) change(eventType, 'added')
    else if (old === text) change(eventType, 'unchanged')
    else if (canonical(old) === canonical(text)) change(eventType, 'documentation')
    else {
      // The registry's own parse and check, as `schemas check` gets them over HTTP.
      const parse = (schema: string) => parseSchema('AVRO', schema, [], { normalize: false, strict: false })
      const messages = checkCompatibility('BACKWARD', parse(text), [{ version: 1, type: parse(old) }])
      change(eventType, messages.length === 0 ? 'compatible' : 'incompatible', messages)
    }
  }
  return changes
}
