import type { ResolvedSchema } from './avro.ts'
import { type CompatibilityLevel, DEFAULT_COMPATIBILITY, parseCompatibilityLevel } from './compatibility.ts'
import {
  type ContractConfig,
  guidOf,
  type Metadata,
  mergeMetadata,
  mergeRuleSets,
  type RuleSet,
} from './contracts.ts'
import { httpErrors } from './errors.ts'
import type { ConfigValue, SchemaReference, StoreRecord } from './records.ts'

export interface SchemaVersion {
  readonly subject: string
  readonly version: number
  readonly id: number
  readonly schema: string
  readonly schemaType: string
  readonly references: readonly SchemaReference[]
  readonly metadata?: Metadata
  readonly ruleSet?: RuleSet
  /** Derived from the content (CSR's MD5-based GUID), not stored. */
  readonly guid: string
  readonly deleted: boolean
}

export const Mode = { READWRITE: 'READWRITE', READONLY: 'READONLY', IMPORT: 'IMPORT' } as const
export type Mode = (typeof Mode)[keyof typeof Mode]

export function parseMode(value: unknown): Mode | undefined {
  if (typeof value !== 'string') return undefined
  const upper = value.toUpperCase()
  return Object.hasOwn(Mode, upper) ? (upper as Mode) : undefined
}

/**
 * What makes two registrations "the same schema" (one id, one GUID), as in CSR: same type,
 * canonical text, references, metadata and rule set. Other metadata or rules make a new schema.
 */
export function identityOf(entry: {
  readonly schemaType: string
  readonly schema: string
  readonly references: readonly SchemaReference[]
  readonly metadata?: Metadata | undefined
  readonly ruleSet?: RuleSet | undefined
}): string {
  return JSON.stringify([
    entry.schemaType,
    entry.schema,
    entry.references,
    entry.metadata ?? null,
    entry.ruleSet ?? null,
  ])
}

const usageKey = (subject: string, version: number) => `${subject}\u0000${version}`

/**
 * The registry's whole state, rebuilt by applying the storage topic's records in order. Applying
 * is an upsert per record key, so replaying a record twice changes nothing. Pure: no I/O here.
 */
export class RegistryState {
  private readonly subjects = new Map<string, Map<number, SchemaVersion>>()
  private readonly configs = new Map<string | null, ConfigValue>()
  private readonly modes = new Map<string | null, Mode>()
  private readonly idsByIdentity = new Map<string, number>()
  private readonly schemasById = new Map<number, SchemaVersion>()
  private readonly idsByGuid = new Map<string, number>()
  private readonly usages = new Map<number, Set<string>>()
  private highestId = 0

  get maxId(): number {
    return this.highestId
  }

  apply(record: StoreRecord): void {
    switch (record.key.keytype) {
      case 'SCHEMA':
        this.applySchema(record.key.subject, record.key.version, record.value as SchemaVersion | null)
        return
      case 'CONFIG':
        if (record.value === null) this.configs.delete(record.key.subject)
        else this.configs.set(record.key.subject, record.value as ConfigValue)
        return
      case 'MODE': {
        const mode = record.value === null ? undefined : parseMode((record.value as { mode: string }).mode)
        if (mode === undefined) this.modes.delete(record.key.subject)
        else this.modes.set(record.key.subject, mode)
        return
      }
      case 'DELETE_SUBJECT': {
        // Karapace's soft delete of a subject: every version up to `version` becomes deleted.
        const upTo = (record.value as { version: number } | null)?.version
        const versions = this.subjects.get(record.key.subject)
        if (upTo === undefined || !versions) return
        for (const [version, entry] of versions) {
          if (version <= upTo) versions.set(version, { ...entry, deleted: true })
        }
        return
      }
      case 'NOOP':
        return
    }
  }

  private applySchema(subject: string, version: number, value: SchemaVersion | null): void {
    let versions = this.subjects.get(subject)
    const previous = versions?.get(version)
    if (previous) this.usages.get(previous.id)?.delete(usageKey(subject, version))
    if (value === null) {
      versions?.delete(version)
      if (versions?.size === 0) this.subjects.delete(subject)
      if (previous && this.usages.get(previous.id)?.size === 0) {
        this.usages.delete(previous.id)
        this.schemasById.delete(previous.id)
        this.idsByGuid.delete(previous.guid)
      }
      return
    }
    const references = value.references ?? []
    const entry: SchemaVersion = {
      subject,
      version,
      id: value.id,
      schema: value.schema,
      schemaType: value.schemaType ?? 'AVRO',
      references,
      ...(value.metadata ? { metadata: value.metadata } : {}),
      ...(value.ruleSet ? { ruleSet: value.ruleSet } : {}),
      guid: guidOf(value.schema, references, value.metadata, value.ruleSet),
      deleted: value.deleted,
    }
    if (!versions) {
      versions = new Map()
      this.subjects.set(subject, versions)
    }
    versions.set(version, entry)
    this.highestId = Math.max(this.highestId, entry.id)
    this.idsByIdentity.set(identityOf(entry), entry.id)
    if (!this.schemasById.has(entry.id)) this.schemasById.set(entry.id, entry)
    if (!this.idsByGuid.has(entry.guid)) this.idsByGuid.set(entry.guid, entry.id)
    let users = this.usages.get(entry.id)
    if (!users) {
      users = new Set()
      this.usages.set(entry.id, users)
    }
    users.add(usageKey(subject, version))
  }

  subjectNames(includeDeleted: boolean): string[] {
    return [...this.subjects.keys()]
      .filter((subject) => this.versions(subject, includeDeleted).length > 0)
      .sort()
  }

  /** The versions of a subject in ascending order; soft-deleted ones only on request. */
  versions(subject: string, includeDeleted: boolean): SchemaVersion[] {
    const versions = this.subjects.get(subject)
    if (!versions) return []
    return [...versions.values()]
      .filter((entry) => includeDeleted || !entry.deleted)
      .sort((a, b) => a.version - b.version)
  }

  /** The version numbering continues after soft deletes: max over every stored version + 1. */
  nextVersion(subject: string): number {
    const versions = this.subjects.get(subject)
    return versions ? Math.max(0, ...versions.keys()) + 1 : 1
  }

  version(subject: string, version: number): SchemaVersion | undefined {
    return this.subjects.get(subject)?.get(version)
  }

  hasSubject(subject: string): boolean {
    return this.subjects.has(subject)
  }

  schemaById(id: number): SchemaVersion | undefined {
    return this.schemasById.get(id)
  }

  schemaByGuid(guid: string): SchemaVersion | undefined {
    const id = this.idsByGuid.get(guid.toLowerCase())
    return id === undefined ? undefined : this.schemasById.get(id)
  }

  idForIdentity(identity: string): number | undefined {
    return this.idsByIdentity.get(identity)
  }

  /** Every (subject, version) that uses a global id. */
  usagesOf(id: number, includeDeleted: boolean): Array<{ subject: string; version: number }> {
    const found: Array<{ subject: string; version: number }> = []
    for (const [subject, versions] of this.subjects) {
      for (const entry of versions.values()) {
        if (entry.id === id && (includeDeleted || !entry.deleted))
          found.push({ subject, version: entry.version })
      }
    }
    return found.sort((a, b) =>
      a.subject === b.subject ? a.version - b.version : a.subject < b.subject ? -1 : 1,
    )
  }

  /** Global ids of live schemas that reference this subject version. */
  referencedBy(subject: string, version: number): number[] {
    const ids = new Set<number>()
    for (const versions of this.subjects.values()) {
      for (const entry of versions.values()) {
        if (entry.deleted) continue
        if (entry.references.some((ref) => ref.subject === subject && ref.version === version))
          ids.add(entry.id)
      }
    }
    return [...ids].sort((a, b) => a - b)
  }

  config(subject: string | null): ConfigValue | undefined {
    return this.configs.get(subject)
  }

  compatibility(subject: string | null): CompatibilityLevel {
    const own = subject === null ? undefined : this.configs.get(subject)
    return (
      parseCompatibilityLevel(own?.compatibilityLevel) ??
      parseCompatibilityLevel(this.configs.get(null)?.compatibilityLevel) ??
      DEFAULT_COMPATIBILITY
    )
  }

  /**
   * The data-contract settings in force for a subject: CSR's Config.mergeConfigs, the subject's
   * own value over the global one (metadata and rule sets merge).
   */
  contractConfig(subject: string | null): ContractConfig {
    const global = this.configs.get(null)
    const own = subject === null ? undefined : this.configs.get(subject)
    const compatibilityGroup = own?.compatibilityGroup ?? global?.compatibilityGroup
    const defaultMetadata = mergeMetadata(global?.defaultMetadata, own?.defaultMetadata)
    const overrideMetadata = mergeMetadata(global?.overrideMetadata, own?.overrideMetadata)
    const defaultRuleSet = mergeRuleSets(global?.defaultRuleSet, own?.defaultRuleSet)
    const overrideRuleSet = mergeRuleSets(global?.overrideRuleSet, own?.overrideRuleSet)
    return {
      ...(compatibilityGroup === undefined ? {} : { compatibilityGroup }),
      ...(defaultMetadata ? { defaultMetadata } : {}),
      ...(overrideMetadata ? { overrideMetadata } : {}),
      ...(defaultRuleSet ? { defaultRuleSet } : {}),
      ...(overrideRuleSet ? { overrideRuleSet } : {}),
    }
  }

  normalize(subject: string): boolean {
    return this.configs.get(subject)?.normalize ?? this.configs.get(null)?.normalize ?? false
  }

  mode(subject: string | null): Mode | undefined {
    return this.modes.get(subject)
  }

  effectiveMode(subject: string | null): Mode {
    return (subject === null ? undefined : this.modes.get(subject)) ?? this.modes.get(null) ?? 'READWRITE'
  }

  /** Looks up references (recursively) for parsing; a missing one makes the schema invalid. */
  resolve(references: readonly SchemaReference[], depth = 0): ResolvedSchema[] {
    if (depth > 32) throw httpErrors.invalidSchema('references nest too deeply (a cycle?)')
    return references.map((ref) => {
      const entry =
        ref.version === -1 ? this.versions(ref.subject, false).at(-1) : this.version(ref.subject, ref.version)
      if (!entry || entry.deleted) {
        throw httpErrors.invalidSchema(
          `reference ${ref.name} to ${ref.subject} version ${ref.version} does not exist`,
        )
      }
      return {
        name: ref.name,
        schemaType: entry.schemaType,
        schema: entry.schema,
        references: this.resolve(entry.references, depth + 1),
      }
    })
  }
}
