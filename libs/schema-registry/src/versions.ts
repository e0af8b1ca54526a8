import { httpErrors } from './errors.ts'
import type { RegistryState, SchemaVersion } from './state.ts'

const MAX_VERSION = 2 ** 31 - 1

/** A version path segment: 1..2^31-1, `latest` or `-1` (CSR's accepted forms); anything else is 42202. */
export function parseVersion(spec: string): number | 'latest' {
  if (spec === 'latest' || spec === '-1') return 'latest'
  if (!/^\d+$/.test(spec)) throw httpErrors.invalidVersion(spec)
  const version = Number(spec)
  if (version < 1 || version > MAX_VERSION) throw httpErrors.invalidVersion(spec)
  return version
}

/** Finds one version of a subject, with CSR's 40401 / 40402 answers. */
export function findVersion(
  state: RegistryState,
  subject: string,
  spec: string,
  includeDeleted: boolean,
): SchemaVersion {
  const version = parseVersion(spec)
  const versions = state.versions(subject, includeDeleted)
  if (versions.length === 0) throw httpErrors.subjectNotFound(subject)
  const entry = version === 'latest' ? versions.at(-1) : versions.find((v) => v.version === version)
  if (!entry) throw httpErrors.versionNotFound(subject, spec)
  return entry
}

/** The JSON body CSR answers for one subject version. */
export function versionBody(entry: SchemaVersion): Record<string, unknown> {
  return {
    subject: entry.subject,
    version: entry.version,
    id: entry.id,
    ...(entry.schemaType === 'AVRO' ? {} : { schemaType: entry.schemaType }),
    ...(entry.references.length > 0 ? { references: entry.references } : {}),
    ...(entry.metadata ? { metadata: entry.metadata } : {}),
    ...(entry.ruleSet ? { ruleSet: entry.ruleSet } : {}),
    guid: entry.guid,
    schema: entry.schema,
  }
}
