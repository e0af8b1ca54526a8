import { httpErrors } from '../errors.ts'

export type Query = Record<string, string | undefined>
export type SubjectParams = { subject: string }
export type VersionParams = { subject: string; version: string }

/** A boolean query flag: only the literal `true` (any case) turns it on, as in CSR. */
export function flag(query: unknown, name: string): boolean {
  const value = (query as Query | undefined)?.[name]
  return typeof value === 'string' && value.toLowerCase() === 'true'
}

/** A schema id path segment; anything but a positive integer is an unknown schema (404). */
export function parseId(spec: string): number {
  if (!/^\d{1,10}$/.test(spec)) throw httpErrors.schemaNotFound(`Schema ${spec} not found`)
  const id = Number(spec)
  if (id < 1 || id > 2 ** 31 - 1) throw httpErrors.schemaNotFound(`Schema ${spec} not found`)
  return id
}

/** `key=..&value=..` pairs (repeatable) of GET /subjects/{s}/metadata. */
export function metadataQuery(query: unknown): Record<string, string> {
  const raw = (query ?? {}) as Record<string, string | string[] | undefined>
  const list = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value]
  const keys = list(raw['key'])
  const values = list(raw['value'])
  const wanted: Record<string, string> = {}
  keys.forEach((key, i) => {
    const value = values[i]
    if (typeof key === 'string' && typeof value === 'string') wanted[key] = value
  })
  return wanted
}
