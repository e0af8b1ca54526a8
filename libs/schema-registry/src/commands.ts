import { parseCompatibilityLevel } from './compatibility.ts'
import { type ContractConfig, parseMetadata, parseRuleSet } from './contracts.ts'
import { httpErrors } from './errors.ts'
import { contractConfigFields, type StoreRecord } from './records.ts'
import { parseMode, type RegistryState } from './state.ts'
import { findVersion, parseVersion } from './versions.ts'

/*
 * Write commands as pure functions of the state: each returns the records to append and the
 * answer to give once they are consumed. The store runs them under the single writer, after
 * catching up, so `state.maxId + 1` is the next free id across every instance.
 */
export interface Outcome<T> {
  readonly records: StoreRecord[]
  readonly result: T
}

export function refuseUnlessWritable(state: RegistryState, subject: string | null): void {
  const mode = state.effectiveMode(subject)
  if (mode === 'READONLY') {
    throw httpErrors.operationNotPermitted(
      subject === null ? 'The registry is in read-only mode' : `Subject ${subject} is in read-only mode`,
    )
  }
}

function refuseIfReferenced(state: RegistryState, subject: string, version: number): void {
  const users = state.referencedBy(subject, version)
  if (users.length > 0) {
    throw httpErrors.referenceExists(
      `One or more references exist to the schema {subject=${subject},version=${version}}: ids ${users.join(', ')}`,
    )
  }
}

export function deleteVersion(
  state: RegistryState,
  subject: string,
  spec: string,
  permanent: boolean,
): Outcome<number> {
  refuseUnlessWritable(state, subject)
  const parsed = parseVersion(spec)
  if (!state.hasSubject(subject)) throw httpErrors.subjectNotFound(subject)
  const entry = findVersion(state, subject, spec, parsed !== 'latest')
  refuseIfReferenced(state, subject, entry.version)
  const key = { keytype: 'SCHEMA', subject, version: entry.version } as const
  if (permanent) {
    if (!entry.deleted) throw httpErrors.versionNotSoftDeleted(subject, entry.version)
    return { records: [{ key, value: null }], result: entry.version }
  }
  if (entry.deleted) throw httpErrors.versionSoftDeleted(subject, entry.version)
  return { records: [{ key, value: { ...entry, deleted: true } }], result: entry.version }
}

export function deleteSubject(state: RegistryState, subject: string, permanent: boolean): Outcome<number[]> {
  refuseUnlessWritable(state, subject)
  const all = state.versions(subject, true)
  if (all.length === 0) throw httpErrors.subjectNotFound(subject)
  const live = all.filter((entry) => !entry.deleted)
  for (const entry of live) refuseIfReferenced(state, subject, entry.version)
  if (permanent) {
    if (live.length > 0) throw httpErrors.subjectNotSoftDeleted(subject)
    const records: StoreRecord[] = all.map((entry) => ({
      key: { keytype: 'SCHEMA', subject, version: entry.version },
      value: null,
    }))
    if (state.config(subject)) records.push({ key: { keytype: 'CONFIG', subject }, value: null })
    if (state.mode(subject)) records.push({ key: { keytype: 'MODE', subject }, value: null })
    return { records, result: all.map((entry) => entry.version) }
  }
  if (live.length === 0) throw httpErrors.subjectSoftDeleted(subject)
  return {
    records: live.map((entry) => ({
      key: { keytype: 'SCHEMA', subject, version: entry.version },
      value: { ...entry, deleted: true },
    })),
    result: live.map((entry) => entry.version),
  }
}

/** The contract fields of a PUT /config body; a field left out keeps its previous value. */
function contractSettings(
  fields: Record<string, unknown>,
  previous: ContractConfig | undefined,
): ContractConfig {
  const settings: Record<string, unknown> = { ...(previous ? contractConfigFields(previous) : {}) }
  const group = fields['compatibilityGroup']
  if (group !== undefined && group !== null && typeof group !== 'string') {
    throw httpErrors.invalidSchema('compatibilityGroup must be a string')
  }
  if (typeof group === 'string') settings['compatibilityGroup'] = group
  for (const field of ['defaultMetadata', 'overrideMetadata'] as const) {
    if (fields[field] !== undefined && fields[field] !== null) settings[field] = parseMetadata(fields[field])
  }
  for (const field of ['defaultRuleSet', 'overrideRuleSet'] as const) {
    if (fields[field] !== undefined && fields[field] !== null) settings[field] = parseRuleSet(fields[field])
  }
  return contractConfigFields(settings as ContractConfig)
}

/** PUT /config and /config/{s}: `{compatibility}` or a full config object; echoes what was set. */
export function putConfig(
  state: RegistryState,
  subject: string | null,
  body: unknown,
): Outcome<Record<string, unknown>> {
  const fields = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const requested = fields['compatibility'] ?? fields['compatibilityLevel']
  const previous = state.config(subject)
  // A body with only other settings (normalize, metadata…) keeps the level in force.
  const level = requested === undefined ? state.compatibility(subject) : parseCompatibilityLevel(requested)
  if (!level) throw httpErrors.invalidCompatibilityLevel(requested)
  const normalize = typeof fields['normalize'] === 'boolean' ? fields['normalize'] : previous?.normalize
  const contract = contractSettings(fields, previous)
  const value = { compatibilityLevel: level, ...(normalize === undefined ? {} : { normalize }), ...contract }
  return {
    records: [{ key: { keytype: 'CONFIG', subject }, value }],
    result: { compatibility: level, ...(normalize === undefined ? {} : { normalize }), ...contract },
  }
}

export function deleteConfig(
  state: RegistryState,
  subject: string | null,
): Outcome<{ compatibilityLevel: string }> {
  const previous = state.config(subject)
  if (subject !== null && !previous) throw httpErrors.subjectLevelCompatibilityNotConfigured(subject)
  return {
    records: previous ? [{ key: { keytype: 'CONFIG', subject }, value: null }] : [],
    // CSR answers the level that was deleted.
    result: { compatibilityLevel: previous?.compatibilityLevel ?? state.compatibility(subject) },
  }
}

export function putMode(
  _state: RegistryState,
  subject: string | null,
  body: unknown,
): Outcome<{ mode: string }> {
  const requested = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const mode = parseMode(requested['mode'])
  if (!mode) throw httpErrors.invalidMode(requested['mode'])
  return { records: [{ key: { keytype: 'MODE', subject }, value: { mode } }], result: { mode } }
}

export function deleteMode(state: RegistryState, subject: string): Outcome<{ mode: string }> {
  const previous = state.mode(subject)
  if (!previous) throw httpErrors.subjectLevelModeNotConfigured(subject)
  return { records: [{ key: { keytype: 'MODE', subject }, value: null }], result: { mode: previous } }
}
