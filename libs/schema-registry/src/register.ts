import { type Candidate, candidateFrom, parseStored } from './candidate.ts'
import { type Outcome, refuseUnlessWritable } from './commands.ts'
import { checkCompatibility, isTransitive } from './compatibility.ts'
import { effectiveContract, guidOf, type Metadata, type RuleSet } from './contracts.ts'
import { httpErrors } from './errors.ts'
import type { SchemaValue } from './records.ts'
import { identityOf, type RegistryState, type SchemaVersion } from './state.ts'

/** CSR's metadata property that carries the version number, ignored when looking schemas up. */
const CONFLUENT_VERSION = 'confluent:version'

type Contract = { metadata?: Metadata; ruleSet?: RuleSet }
type Content = Pick<SchemaVersion, 'schemaType' | 'schema' | 'references'> & Contract

function withoutConfluentVersion(metadata: Metadata | undefined): Metadata | undefined {
  if (!metadata?.properties || !(CONFLUENT_VERSION in metadata.properties)) return metadata
  const { [CONFLUENT_VERSION]: _, ...properties } = metadata.properties
  const { properties: __, ...rest } = metadata
  const stripped = { ...rest, ...(Object.keys(properties).length > 0 ? { properties } : {}) }
  return Object.keys(stripped).length > 0 ? stripped : undefined
}

/** CSR's canLookup: the same schema, references, metadata and rules, whatever `confluent:version` says. */
const lookupKey = (content: Content) =>
  identityOf({ ...content, metadata: withoutConfluentVersion(content.metadata) })

function withConfluentVersion(contract: Contract, version: number, forced: boolean): Contract {
  const properties = contract.metadata?.properties
  if (!forced && !(properties && CONFLUENT_VERSION in properties)) return contract
  return {
    ...contract,
    metadata: {
      ...contract.metadata,
      properties: Object.fromEntries(
        Object.entries({ ...properties, [CONFLUENT_VERSION]: String(version) }).sort(([a], [b]) =>
          a < b ? -1 : a > b ? 1 : 0,
        ),
      ),
    },
  }
}

const contentOf = (candidate: Candidate, contract: Contract): Content => ({
  schemaType: candidate.schemaType,
  schema: candidate.schema,
  references: candidate.references,
  ...(contract.metadata ? { metadata: contract.metadata } : {}),
  ...(contract.ruleSet ? { ruleSet: contract.ruleSet } : {}),
})

/** The register answer: CSR's RegisterSchemaResponse, the full record with empty fields left out. */
export function registeredBody(entry: SchemaVersion): Record<string, unknown> {
  return {
    id: entry.id,
    version: entry.version,
    guid: entry.guid,
    schemaType: entry.schemaType,
    ...(entry.references.length > 0 ? { references: entry.references } : {}),
    ...(entry.metadata ? { metadata: entry.metadata } : {}),
    ...(entry.ruleSet ? { ruleSet: entry.ruleSet } : {}),
    schema: entry.schema,
  }
}

/**
 * Version checks in CSR's order: the latest live version, or all of them for transitive levels.
 * With a `compatibilityGroup` only versions whose metadata property of that name equals the new
 * schema's take part (how a new major version starts a new line of compatibility).
 */
export function compatibilityMessages(
  state: RegistryState,
  subject: string,
  candidate: Candidate,
  metadata: Metadata | undefined,
): string[] {
  const level = state.compatibility(subject)
  const group = state.contractConfig(subject).compatibilityGroup
  let live = state.versions(subject, false).reverse()
  if (group !== undefined) {
    const value = metadata?.properties?.[group]
    live = live.filter((entry) => entry.metadata?.properties?.[group] === value)
  }
  const against = isTransitive(level) ? live : live.slice(0, 1)
  return checkCompatibility(
    level,
    candidate.parsed,
    against.map((entry) => ({ version: entry.version, type: parseStored(state, entry) })),
  )
}

/** The metadata and rules a candidate gets under a subject (config defaults, previous version, overrides). */
export function contractFor(state: RegistryState, subject: string, candidate: Candidate): Contract {
  return effectiveContract(state.contractConfig(subject), candidate, state.versions(subject, false).at(-1))
}

export function registerSchema(
  state: RegistryState,
  subject: string,
  body: unknown,
  options: { normalize: boolean },
): Outcome<Record<string, unknown>> {
  const mode = state.effectiveMode(subject)
  refuseUnlessWritable(state, subject)
  const candidate = candidateFrom(state, body, options.normalize || state.normalize(subject))
  const fields = body as Record<string, unknown>
  const requestedVersion =
    typeof fields['version'] === 'number' && Number.isInteger(fields['version']) && fields['version'] > 0
      ? fields['version']
      : undefined
  let version = state.nextVersion(subject)
  let contract: Contract = { ...candidate }
  if (mode !== 'IMPORT') {
    if (typeof fields['id'] === 'number' && fields['id'] >= 0) {
      throw httpErrors.operationNotPermitted(`Subject ${subject} is not in import mode`)
    }
    if (requestedVersion !== undefined && requestedVersion !== version) {
      throw httpErrors.invalidSchema('Version is not one more than previous version')
    }
    contract = withConfluentVersion(
      contractFor(state, subject, candidate),
      version,
      requestedVersion !== undefined,
    )
  }
  const content = contentOf(candidate, contract)
  const live = state.versions(subject, false).reverse()
  if (requestedVersion === undefined) {
    const key = lookupKey(content)
    const existing = live.find((entry) => lookupKey(entry) === key)
    if (existing) return { records: [], result: registeredBody(existing) }
  }
  const identity = identityOf(content)
  let id = state.idForIdentity(identity)
  if (mode === 'IMPORT') {
    const wanted = fields['id']
    if (typeof wanted !== 'number' || !Number.isInteger(wanted) || wanted < 1) {
      throw httpErrors.operationNotPermitted('In IMPORT mode a registration must give its schema id')
    }
    const holder = state.schemaById(wanted)
    if (holder && id !== wanted) {
      throw httpErrors.operationNotPermitted(`Schema id ${wanted} already holds another schema`)
    }
    id = wanted
    if (requestedVersion !== undefined) version = requestedVersion
  } else {
    const messages = compatibilityMessages(state, subject, candidate, contract.metadata)
    if (messages.length > 0) throw httpErrors.incompatible(subject, messages)
  }
  id ??= state.maxId + 1
  const value: SchemaValue = { subject, version, id, ...content, deleted: false }
  // The GUID is what the state derives once the record is applied.
  const guid = guidOf(content.schema, content.references, content.metadata, content.ruleSet)
  return {
    records: [{ key: { keytype: 'SCHEMA', subject, version }, value }],
    result: registeredBody({ ...content, subject, version, id, deleted: false, guid }),
  }
}

/**
 * Lookup (POST /subjects/{s}): the schema as sent, then as registration would complete it from
 * the latest version and the config (CSR's second lookup), newest version first.
 */
export function lookUpSchema(
  state: RegistryState,
  subject: string,
  candidate: Candidate,
  includeDeleted: boolean,
): SchemaVersion | undefined {
  const versions = state.versions(subject, includeDeleted).reverse()
  const tries = [
    contentOf(candidate, candidate),
    contentOf(candidate, contractFor(state, subject, candidate)),
  ]
  for (const content of tries) {
    const key = lookupKey(content)
    const found = versions.find((entry) => lookupKey(entry) === key)
    if (found) return found
  }
  return undefined
}
