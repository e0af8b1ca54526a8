import { createHash } from 'node:crypto'
import { httpErrors } from './errors.ts'
import type { SchemaReference } from './records.ts'

/*
 * Data contracts as Confluent Schema Registry (CSR) models them: a schema version carries
 * `metadata` and a `ruleSet`; subject and global config carry defaults and overrides for both.
 * The registry stores and merges them; the clients execute the rules.
 */

export interface Metadata {
  readonly tags?: Readonly<Record<string, readonly string[]>>
  readonly properties?: Readonly<Record<string, string>>
  readonly sensitive?: readonly string[]
}

export interface Rule {
  readonly name: string
  readonly doc?: string
  readonly kind?: string
  readonly mode?: string
  readonly type: string
  readonly tags?: readonly string[]
  readonly params?: Readonly<Record<string, string>>
  readonly expr?: string
  readonly onSuccess?: string
  readonly onFailure?: string
  readonly disabled?: boolean
}

export interface RuleSet {
  readonly migrationRules?: readonly Rule[]
  readonly domainRules?: readonly Rule[]
  readonly encodingRules?: readonly Rule[]
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const sortedKeys = <T>(record: Record<string, T>): Record<string, T> =>
  Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key] as T]),
  )

function stringMap(value: unknown, what: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw httpErrors.invalidSchema(`metadata ${what} must be an object`)
  for (const entry of Object.values(value)) {
    if (typeof entry !== 'string') throw httpErrors.invalidSchema(`metadata ${what} values must be strings`)
  }
  return Object.keys(value).length === 0 ? undefined : sortedKeys(value as Record<string, string>)
}

function stringSet(value: unknown, what: string): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw httpErrors.invalidSchema(`${what} must be an array of strings`)
  }
  // CSR keeps tags and sensitive names in sorted sets.
  const set = [...new Set(value as string[])].sort()
  return set.length === 0 ? undefined : set
}

/** Reads `metadata` from a request body or a config; absent or null is undefined. */
export function parseMetadata(value: unknown): Metadata | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw httpErrors.invalidSchema('metadata must be an object')
  let tags: Record<string, string[]> | undefined
  if (value['tags'] !== undefined && value['tags'] !== null) {
    if (!isObject(value['tags'])) throw httpErrors.invalidSchema('metadata tags must be an object')
    tags = {}
    for (const [path, list] of Object.entries(value['tags'])) {
      const set = stringSet(list, 'metadata tags')
      if (set) tags[path] = set
    }
    tags = Object.keys(tags).length === 0 ? undefined : sortedKeys(tags)
  }
  const properties = stringMap(value['properties'], 'properties')
  const sensitive = stringSet(value['sensitive'], 'metadata sensitive')
  return {
    ...(tags ? { tags } : {}),
    ...(properties ? { properties } : {}),
    ...(sensitive ? { sensitive } : {}),
  }
}

const RULE_KINDS = new Set(['TRANSFORM', 'CONDITION'])
const MIGRATION_MODES = new Set(['UPGRADE', 'DOWNGRADE', 'UPDOWN'])
const DOMAIN_MODES = new Set(['WRITE', 'READ', 'WRITEREAD'])
const RULE_NAME = /^[\p{L}_][\p{L}\p{Nd}_-]*$/u
const RULE_NAME_MAX = 64

function optionalString(rule: Record<string, unknown>, field: string): string | undefined {
  const value = rule[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw httpErrors.invalidRuleSet(`rule field ${field} must be a string`)
  return value
}

function parseRule(value: unknown, modes: ReadonlySet<string>, list: string): Rule {
  if (!isObject(value)) throw httpErrors.invalidRuleSet(`each of ${list} must be an object`)
  const name = value['name']
  if (typeof name !== 'string' || name === '') throw httpErrors.invalidRuleSet('Missing rule name')
  if (name.length > RULE_NAME_MAX) throw httpErrors.invalidRuleSet(`Rule name too long: ${name}`)
  if (!RULE_NAME.test(name)) throw httpErrors.invalidRuleSet(`Illegal character in rule name: ${name}`)
  const type = value['type']
  if (typeof type !== 'string' || type === '') throw httpErrors.invalidRuleSet(`Missing rule type in ${name}`)
  const kind = (optionalString(value, 'kind') ?? 'TRANSFORM').toUpperCase()
  if (!RULE_KINDS.has(kind)) throw httpErrors.invalidRuleSet(`Invalid rule kind ${kind} in ${name}`)
  const mode = (optionalString(value, 'mode') ?? [...modes][0]!).toUpperCase()
  if (!modes.has(mode)) throw httpErrors.invalidRuleSet(`${list} can only be ${[...modes].join(', ')}`)
  const onSuccess = optionalString(value, 'onSuccess')
  const onFailure = optionalString(value, 'onFailure')
  for (const action of [onSuccess, onFailure]) {
    if (action?.includes(',') && mode !== 'WRITEREAD' && mode !== 'UPDOWN') {
      throw httpErrors.invalidRuleSet('Multiple actions only valid with WRITEREAD and UPDOWN')
    }
  }
  const doc = optionalString(value, 'doc')
  const expr = optionalString(value, 'expr')
  const tags = stringSet(value['tags'], `rule ${name} tags`)
  let params: Record<string, string> | undefined
  try {
    params = stringMap(value['params'], 'params')
  } catch {
    throw httpErrors.invalidRuleSet(`rule ${name} params must map strings to strings`)
  }
  const disabled = value['disabled']
  if (disabled !== undefined && disabled !== null && typeof disabled !== 'boolean') {
    throw httpErrors.invalidRuleSet(`rule ${name} disabled must be a boolean`)
  }
  // Field order as CSR serialises a rule.
  return {
    name,
    ...(doc === undefined ? {} : { doc }),
    kind,
    mode,
    type,
    ...(tags ? { tags } : {}),
    ...(params ? { params } : {}),
    ...(expr === undefined ? {} : { expr }),
    ...(onSuccess === undefined ? {} : { onSuccess }),
    ...(onFailure === undefined ? {} : { onFailure }),
    disabled: disabled === true,
  }
}

function parseRules(
  value: unknown,
  modes: ReadonlySet<string>,
  list: string,
  names: Set<string>,
): Rule[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw httpErrors.invalidRuleSet(`${list} must be an array`)
  const rules = value.map((entry) => parseRule(entry, modes, list))
  for (const rule of rules) {
    if (names.has(rule.name)) throw httpErrors.invalidRuleSet(`Found rule with duplicate name '${rule.name}'`)
    names.add(rule.name)
  }
  return rules.length === 0 ? undefined : rules
}

/** Reads and validates a `ruleSet` as CSR does (names, modes per list, unique names): 42210 otherwise. */
export function parseRuleSet(value: unknown): RuleSet | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw httpErrors.invalidRuleSet('ruleSet must be an object')
  const names = new Set<string>()
  const migrationRules = parseRules(value['migrationRules'], MIGRATION_MODES, 'Migration rules', names)
  const domainRules = parseRules(value['domainRules'], DOMAIN_MODES, 'Domain rules', names)
  const encodingRules = parseRules(value['encodingRules'], DOMAIN_MODES, 'Encoding rules', names)
  return {
    ...(migrationRules ? { migrationRules } : {}),
    ...(domainRules ? { domainRules } : {}),
    ...(encodingRules ? { encodingRules } : {}),
  }
}

function mergeMaps<T>(
  older: Readonly<Record<string, T>> | undefined,
  newer: Readonly<Record<string, T>> | undefined,
): Readonly<Record<string, T>> | undefined {
  if (!older || Object.keys(older).length === 0) return newer
  if (!newer || Object.keys(newer).length === 0) return older
  return sortedKeys({ ...older, ...newer })
}

function mergeSets(older?: readonly string[], newer?: readonly string[]): readonly string[] | undefined {
  if (!older || older.length === 0) return newer
  if (!newer || newer.length === 0) return older
  return [...new Set([...older, ...newer])].sort()
}

/** CSR's Metadata.mergeMetadata: newer properties and tag paths win, sensitive names are a union. */
export function mergeMetadata(older?: Metadata, newer?: Metadata): Metadata | undefined {
  if (!older) return newer
  if (!newer) return older
  const tags = mergeMaps(older.tags, newer.tags)
  const properties = mergeMaps(older.properties, newer.properties)
  const sensitive = mergeSets(older.sensitive, newer.sensitive)
  return {
    ...(tags ? { tags } : {}),
    ...(properties ? { properties } : {}),
    ...(sensitive ? { sensitive } : {}),
  }
}

function mergeRules(older?: readonly Rule[], newer?: readonly Rule[]): readonly Rule[] | undefined {
  if (!older || older.length === 0) return newer
  if (!newer || newer.length === 0) return older
  const replaced = new Set(newer.map((rule) => rule.name))
  return [...older.filter((rule) => !replaced.has(rule.name)), ...newer]
}

/** CSR's RuleSet.mergeRuleSets: a newer rule replaces an older one of the same name, per list. */
export function mergeRuleSets(older?: RuleSet, newer?: RuleSet): RuleSet | undefined {
  if (!older) return newer
  if (!newer) return older
  const migrationRules = mergeRules(older.migrationRules, newer.migrationRules)
  const domainRules = mergeRules(older.domainRules, newer.domainRules)
  const encodingRules = mergeRules(older.encodingRules, newer.encodingRules)
  return {
    ...(migrationRules ? { migrationRules } : {}),
    ...(domainRules ? { domainRules } : {}),
    ...(encodingRules ? { encodingRules } : {}),
  }
}

/** The data-contract settings of a config (global or subject). */
export interface ContractConfig {
  readonly compatibilityGroup?: string
  readonly defaultMetadata?: Metadata
  readonly overrideMetadata?: Metadata
  readonly defaultRuleSet?: RuleSet
  readonly overrideRuleSet?: RuleSet
}

/**
 * What a registration stores, as CSR's maybeSetMetadataRuleSet computes it: the request's own
 * metadata and rules, or else the previous version's, between the config's defaults (below) and
 * overrides (above).
 */
export function effectiveContract(
  config: ContractConfig,
  requested: { metadata?: Metadata; ruleSet?: RuleSet },
  previous: { metadata?: Metadata; ruleSet?: RuleSet } | undefined,
): { metadata?: Metadata; ruleSet?: RuleSet } {
  const metadata = mergeMetadata(
    mergeMetadata(config.defaultMetadata, requested.metadata ?? previous?.metadata),
    config.overrideMetadata,
  )
  const ruleSet = mergeRuleSets(
    mergeRuleSets(config.defaultRuleSet, requested.ruleSet ?? previous?.ruleSet),
    config.overrideRuleSet,
  )
  return { ...(metadata ? { metadata } : {}), ...(ruleSet ? { ruleSet } : {}) }
}

/** Whether a version's metadata properties hold every requested key/value (GET /subjects/{s}/metadata). */
export function metadataMatches(metadata: Metadata | undefined, wanted: Readonly<Record<string, string>>) {
  const properties = metadata?.properties
  if (!properties) return false
  return Object.entries(wanted).every(([key, value]) => properties[key] === value)
}

/**
 * The schema's GUID, as CSR derives it: an MD5 over the schema text, references, metadata and
 * rule set, read as a UUID. Equal contents give equal GUIDs on every instance without storing them.
 */
export function guidOf(
  schema: string,
  references: readonly SchemaReference[],
  metadata: Metadata | undefined,
  ruleSet: RuleSet | undefined,
): string {
  const hex = createHash('md5')
    .update(JSON.stringify([schema, references, metadata ?? null, ruleSet ?? null]))
    .digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
