import { type ContractConfig, type Metadata, parseMetadata, parseRuleSet, type RuleSet } from './contracts.ts'

/*
 * The storage layout of the `_schemas` topic, as Confluent Schema Registry and Karapace write it:
 * compact JSON keys and values whose key order is fixed, so equal keys are equal bytes and log
 * compaction keeps exactly the latest record per key.
 */

export interface SchemaReference {
  readonly name: string
  readonly subject: string
  readonly version: number
}

export type RecordKey =
  | { readonly keytype: 'SCHEMA'; readonly subject: string; readonly version: number }
  | { readonly keytype: 'CONFIG'; readonly subject: string | null }
  | { readonly keytype: 'MODE'; readonly subject: string | null }
  | { readonly keytype: 'DELETE_SUBJECT'; readonly subject: string }
  | { readonly keytype: 'NOOP' }

export interface SchemaValue {
  readonly subject: string
  readonly version: number
  readonly id: number
  readonly schema: string
  readonly deleted: boolean
  readonly schemaType?: string
  readonly references?: readonly SchemaReference[]
  readonly metadata?: Metadata
  readonly ruleSet?: RuleSet
}

export interface ConfigValue extends ContractConfig {
  readonly compatibilityLevel: string
  readonly normalize?: boolean
}

const CONTRACT_CONFIG_FIELDS = [
  'compatibilityGroup',
  'defaultMetadata',
  'overrideMetadata',
  'defaultRuleSet',
  'overrideRuleSet',
] as const

/** The config's data-contract fields that are set, in CSR's order. */
export function contractConfigFields(value: ContractConfig): ContractConfig {
  const fields: Record<string, unknown> = {}
  for (const field of CONTRACT_CONFIG_FIELDS) if (value[field] !== undefined) fields[field] = value[field]
  return fields as ContractConfig
}

/** Records written by other registries are trusted as far as they parse; a bad contract is dropped. */
function lenient<T>(parse: () => T): T | undefined {
  try {
    return parse()
  } catch {
    return undefined
  }
}

export interface ModeValue {
  readonly mode: string
}

export interface DeleteSubjectValue {
  readonly subject: string
  readonly version: number
}

/** One record to write: a null value is a tombstone (permanent delete). */
export type StoreRecord =
  | { readonly key: Extract<RecordKey, { keytype: 'SCHEMA' }>; readonly value: SchemaValue | null }
  | { readonly key: Extract<RecordKey, { keytype: 'CONFIG' }>; readonly value: ConfigValue | null }
  | { readonly key: Extract<RecordKey, { keytype: 'MODE' }>; readonly value: ModeValue | null }
  | {
      readonly key: Extract<RecordKey, { keytype: 'DELETE_SUBJECT' }>
      readonly value: DeleteSubjectValue | null
    }
  | { readonly key: Extract<RecordKey, { keytype: 'NOOP' }>; readonly value: null }

export function encodeKey(key: RecordKey): string {
  switch (key.keytype) {
    case 'SCHEMA':
      return JSON.stringify({ keytype: 'SCHEMA', subject: key.subject, version: key.version, magic: 1 })
    case 'CONFIG':
    case 'MODE':
      return JSON.stringify({ keytype: key.keytype, subject: key.subject, magic: 0 })
    case 'DELETE_SUBJECT':
      return JSON.stringify({ keytype: 'DELETE_SUBJECT', subject: key.subject, magic: 0 })
    case 'NOOP':
      return JSON.stringify({ keytype: 'NOOP', magic: 0 })
  }
}

export function encodeValue(record: StoreRecord): string | null {
  const { value } = record
  if (value === null) return null
  switch (record.key.keytype) {
    case 'SCHEMA': {
      const v = value as SchemaValue
      return JSON.stringify({
        subject: v.subject,
        version: v.version,
        id: v.id,
        schema: v.schema,
        deleted: v.deleted,
        ...(v.schemaType && v.schemaType !== 'AVRO' ? { schemaType: v.schemaType } : {}),
        ...(v.references && v.references.length > 0
          ? {
              references: v.references.map((r) => ({ name: r.name, subject: r.subject, version: r.version })),
            }
          : {}),
        ...(v.metadata ? { metadata: v.metadata } : {}),
        ...(v.ruleSet ? { ruleSet: v.ruleSet } : {}),
      })
    }
    case 'CONFIG': {
      const v = value as ConfigValue
      return JSON.stringify({
        compatibilityLevel: v.compatibilityLevel,
        ...(v.normalize === undefined ? {} : { normalize: v.normalize }),
        ...contractConfigFields(v),
      })
    }
    case 'MODE':
      return JSON.stringify({ mode: (value as ModeValue).mode })
    case 'DELETE_SUBJECT': {
      const v = value as DeleteSubjectValue
      return JSON.stringify({ subject: v.subject, version: v.version })
    }
  }
  return null
}

const optional = <K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: T }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Parses one record of the topic; records this registry does not understand are skipped (undefined). */
export function decodeRecord(key: string, value: string | null): StoreRecord | undefined {
  let parsedKey: unknown
  let parsedValue: unknown
  try {
    parsedKey = JSON.parse(key)
    parsedValue = value === null || value === '' ? null : JSON.parse(value)
  } catch {
    return undefined
  }
  if (!isObject(parsedKey)) return undefined
  if (parsedValue !== null && !isObject(parsedValue)) return undefined
  const subject = typeof parsedKey['subject'] === 'string' ? parsedKey['subject'] : null
  switch (parsedKey['keytype']) {
    case 'SCHEMA': {
      const version = parsedKey['version']
      if (subject === null || typeof version !== 'number') return undefined
      const key = { keytype: 'SCHEMA', subject, version } as const
      if (parsedValue === null) return { key, value: null }
      const v = parsedValue
      if (typeof v['id'] !== 'number' || typeof v['schema'] !== 'string') return undefined
      return {
        key,
        value: {
          subject,
          version,
          id: v['id'],
          schema: v['schema'],
          deleted: v['deleted'] === true,
          schemaType: typeof v['schemaType'] === 'string' ? v['schemaType'] : 'AVRO',
          references: Array.isArray(v['references']) ? (v['references'] as SchemaReference[]) : [],
          ...optional(
            'metadata',
            lenient(() => parseMetadata(v['metadata'])),
          ),
          ...optional(
            'ruleSet',
            lenient(() => parseRuleSet(v['ruleSet'])),
          ),
        },
      }
    }
    case 'CONFIG': {
      const key = { keytype: 'CONFIG', subject } as const
      if (parsedValue === null) return { key, value: null }
      const level = parsedValue['compatibilityLevel']
      if (typeof level !== 'string') return undefined
      const normalize = parsedValue['normalize']
      const group = parsedValue['compatibilityGroup']
      const contract = parsedValue
      return {
        key,
        value: {
          compatibilityLevel: level,
          ...(typeof normalize === 'boolean' ? { normalize } : {}),
          ...optional('compatibilityGroup', typeof group === 'string' ? group : undefined),
          ...optional(
            'defaultMetadata',
            lenient(() => parseMetadata(contract['defaultMetadata'])),
          ),
          ...optional(
            'overrideMetadata',
            lenient(() => parseMetadata(contract['overrideMetadata'])),
          ),
          ...optional(
            'defaultRuleSet',
            lenient(() => parseRuleSet(contract['defaultRuleSet'])),
          ),
          ...optional(
            'overrideRuleSet',
            lenient(() => parseRuleSet(contract['overrideRuleSet'])),
          ),
        },
      }
    }
    case 'MODE': {
      const key = { keytype: 'MODE', subject } as const
      if (parsedValue === null) return { key, value: null }
      const mode = parsedValue['mode']
      return typeof mode === 'string' ? { key, value: { mode } } : undefined
    }
    case 'DELETE_SUBJECT': {
      if (subject === null) return undefined
      const key = { keytype: 'DELETE_SUBJECT', subject } as const
      if (parsedValue === null) return { key, value: null }
      const version = parsedValue['version']
      return typeof version === 'number' ? { key, value: { subject, version } } : undefined
    }
    case 'NOOP':
      return { key: { keytype: 'NOOP' }, value: null }
    default:
      return undefined
  }
}
