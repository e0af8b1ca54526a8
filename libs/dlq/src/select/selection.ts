import { DlqSelectionError } from '@event-backbone/errors'
import { Header } from '#libs/kafka'
import { headerText, type RawRecord } from '../read/dlt-record.ts'
import type { PartitionRange } from '../read/scan.ts'

export const PredicateOp = {
  eq: 'eq',
  ne: 'ne',
  contains: 'contains',
  gt: 'gt',
  gte: 'gte',
  lt: 'lt',
  lte: 'lte',
  exists: 'exists',
} as const
export type PredicateOp = (typeof PredicateOp)[keyof typeof PredicateOp]

/** A condition on a field of the decoded value, by dotted path (`payer.country`). */
export interface FieldPredicate {
  readonly path: string
  readonly op: PredicateOp
  readonly value?: string | number | boolean | null
}

/** Which dead-letter records an inspect or replay is about. Every given condition must hold. */
export interface Selection {
  /** Only these partitions (default: all). */
  readonly partitions?: readonly number[]
  /** Offset ranges per partition, both ends inclusive, either end optional. */
  readonly offsets?: readonly { partition: number; from?: string; to?: string }[]
  /** Record timestamp (the dead-letter time) at or after, epoch ms. */
  readonly since?: number
  /** Record timestamp before, epoch ms. */
  readonly until?: number
  /** `eb.error.class` is one of these. */
  readonly errorClass?: readonly string[]
  /** `eb.error.message` contains this text (case-insensitive). */
  readonly errorMessage?: string
  /** The key, as UTF-8 text, equals this. */
  readonly key?: string
  /** Each header equals its value. */
  readonly headers?: Readonly<Record<string, string>>
  /** Conditions on the decoded value (needs the schema registry). */
  readonly where?: readonly FieldPredicate[]
}

const offsetPattern = /^\d{1,19}$/

function invalid(field: string, why: string): never {
  throw new DlqSelectionError(`selection.${field} ${why}`, { context: { field } })
}

/** Checks a selection that came from outside (CLI flags, HTTP bodies); returns it typed. */
export function validateSelection(input: unknown): Selection {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input)) invalid('', 'needs to be an object')
  const s = input as Record<string, unknown>
  const known = [
    'partitions',
    'offsets',
    'since',
    'until',
    'errorClass',
    'errorMessage',
    'key',
    'headers',
    'where',
  ]
  for (const name of Object.keys(s)) if (!known.includes(name)) invalid(name, 'is not a selection field')
  if (s['partitions'] !== undefined) {
    const p = s['partitions']
    if (!Array.isArray(p) || !p.every((n) => Number.isInteger(n) && n >= 0))
      invalid('partitions', 'needs to be a list of partition numbers ≥ 0')
  }
  if (s['offsets'] !== undefined) {
    if (!Array.isArray(s['offsets'])) invalid('offsets', 'needs to be a list of {partition, from, to}')
    s['offsets'].forEach((range: unknown, i: number) => {
      const r = range as Record<string, unknown>
      if (
        typeof r !== 'object' ||
        r === null ||
        !Number.isInteger(r['partition']) ||
        (r['partition'] as number) < 0
      )
        invalid(`offsets[${i}].partition`, 'needs to be a partition number ≥ 0')
      for (const end of ['from', 'to'] as const) {
        if (r[end] !== undefined && !(typeof r[end] === 'string' && offsetPattern.test(r[end])))
          invalid(`offsets[${i}].${end}`, 'needs to be an offset as a string of digits')
      }
    })
  }
  for (const name of ['since', 'until'] as const) {
    if (s[name] !== undefined && !(Number.isInteger(s[name]) && (s[name] as number) >= 0))
      invalid(name, 'needs to be epoch milliseconds')
  }
  if (s['errorClass'] !== undefined) {
    const c = s['errorClass']
    if (!Array.isArray(c) || !c.every((x) => typeof x === 'string' && x.length > 0))
      invalid('errorClass', 'needs to be a list of error class names')
  }
  for (const name of ['errorMessage', 'key'] as const) {
    if (s[name] !== undefined && typeof s[name] !== 'string') invalid(name, 'needs to be a string')
  }
  if (s['headers'] !== undefined) {
    const h = s['headers']
    if (typeof h !== 'object' || h === null || !Object.values(h).every((v) => typeof v === 'string'))
      invalid('headers', 'needs to be an object of header name to text value')
  }
  if (s['where'] !== undefined) {
    if (!Array.isArray(s['where'])) invalid('where', 'needs to be a list of {path, op, value}')
    s['where'].forEach((predicate: unknown, i: number) => {
      const p = predicate as Record<string, unknown>
      if (typeof p !== 'object' || p === null || typeof p['path'] !== 'string' || p['path'] === '')
        invalid(`where[${i}].path`, 'needs to be a dotted field path')
      if (!Object.values(PredicateOp).includes(p['op'] as PredicateOp))
        invalid(`where[${i}].op`, `needs to be one of ${Object.values(PredicateOp).join(', ')}`)
      const value = p['value']
      if (p['op'] !== 'exists' && !['string', 'number', 'boolean'].includes(typeof value) && value !== null)
        invalid(`where[${i}].value`, 'needs to be a string, number, boolean or null')
    })
  }
  return s as Selection
}

/** The offset ranges to read: the selection's partitions and offsets clipped to what the topic holds. */
export function rangesFor(
  selection: Selection,
  bounds: readonly { partition: number; low: string; high: string }[],
): PartitionRange[] {
  const ranges: PartitionRange[] = []
  for (const bound of bounds) {
    if (selection.partitions && !selection.partitions.includes(bound.partition)) continue
    const explicit = selection.offsets?.filter((range) => range.partition === bound.partition)
    if (selection.offsets && selection.offsets.length > 0 && (!explicit || explicit.length === 0)) continue
    const wanted = explicit && explicit.length > 0 ? explicit : [{}]
    for (const range of wanted as { from?: string; to?: string }[]) {
      const low = BigInt(bound.low)
      const high = BigInt(bound.high)
      const from = range.from === undefined ? low : BigInt(range.from) > low ? BigInt(range.from) : low
      const toExclusive =
        range.to === undefined ? high : BigInt(range.to) + 1n < high ? BigInt(range.to) + 1n : high
      if (from < toExclusive)
        ranges.push({ partition: bound.partition, from: String(from), to: String(toExclusive) })
    }
  }
  return ranges
}

/** True when the record matches the conditions that need no decoding. */
export function matchesRaw(selection: Selection, record: RawRecord): boolean {
  const time = Number(record.timestamp)
  if (selection.since !== undefined && time < selection.since) return false
  if (selection.until !== undefined && time >= selection.until) return false
  if (selection.offsets && selection.offsets.length > 0) {
    const offset = BigInt(record.offset)
    const inside = selection.offsets.some(
      (range) =>
        range.partition === record.partition &&
        (range.from === undefined || offset >= BigInt(range.from)) &&
        (range.to === undefined || offset <= BigInt(range.to)),
    )
    if (!inside) return false
  }
  if (selection.errorClass && selection.errorClass.length > 0) {
    const errorClass = headerText(record.headers, Header.errorClass)
    if (errorClass === undefined || !selection.errorClass.includes(errorClass)) return false
  }
  if (selection.errorMessage !== undefined) {
    const message = headerText(record.headers, Header.errorMessage) ?? ''
    if (!message.toLowerCase().includes(selection.errorMessage.toLowerCase())) return false
  }
  if (selection.key !== undefined && (record.key === null || record.key.toString('utf8') !== selection.key))
    return false
  for (const [name, value] of Object.entries(selection.headers ?? {})) {
    if (headerText(record.headers, name) !== value) return false
  }
  return true
}

function fieldAt(value: unknown, path: string): unknown {
  let current = value
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

function comparable(value: unknown): string | number | boolean | null | undefined {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'bigint') return Number(value)
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value))
    return value as string | number | boolean | null | undefined
  return JSON.stringify(value)
}

/** True when the decoded value satisfies every field predicate (an undecodable value satisfies none). */
export function matchesDecoded(selection: Selection, decoded: { ok: boolean; value?: unknown }): boolean {
  const predicates = selection.where ?? []
  if (predicates.length === 0) return true
  if (!decoded.ok) return false
  return predicates.every((predicate) => {
    const actual = comparable(fieldAt(decoded.value, predicate.path))
    const expected = predicate.value
    switch (predicate.op) {
      case 'exists':
        return actual !== undefined
      case 'eq':
        return (
          actual === expected ||
          (actual !== undefined && actual !== null && String(actual) === String(expected))
        )
      case 'ne':
        return !(
          actual === expected ||
          (actual !== undefined && actual !== null && String(actual) === String(expected))
        )
      case 'contains':
        return typeof actual === 'string' && actual.includes(String(expected))
      default: {
        if (actual === undefined || actual === null || expected === undefined || expected === null)
          return false
        const [a, b] =
          typeof actual === 'number' ? [actual, Number(expected)] : [String(actual), String(expected)]
        if (predicate.op === 'gt') return a > b
        if (predicate.op === 'gte') return a >= b
        if (predicate.op === 'lt') return a < b
        return a <= b
      }
    }
  })
}

/** `amount>100`, `payer.country==DE`, `note~late`, `couponCode?` → a predicate (CLI and console). */
export function parsePredicate(text: string): FieldPredicate {
  if (text.endsWith('?')) return { path: text.slice(0, -1), op: 'exists' }
  const match = /^([A-Za-z_][\w.]*)\s*(==|!=|>=|<=|>|<|~)\s*(.*)$/.exec(text)
  if (!match)
    invalid(
      'where',
      `cannot read ${JSON.stringify(text)}: use path==value, !=, >, >=, <, <=, ~ (contains) or path?`,
    )
  const ops: Record<string, PredicateOp> = {
    '==': 'eq',
    '!=': 'ne',
    '>': 'gt',
    '>=': 'gte',
    '<': 'lt',
    '<=': 'lte',
    '~': 'contains',
  }
  const raw = match[3] ?? ''
  const value = /^-?\d+(\.\d+)?$/.test(raw)
    ? Number(raw)
    : raw === 'true'
      ? true
      : raw === 'false'
        ? false
        : raw
  return { path: match[1] ?? '', op: ops[match[2] ?? '=='] ?? 'eq', value }
}

/** Field predicates need decoding: without a registry they would silently match nothing. */
export function requireDecoderFor(selection: Selection, decoder: unknown): void {
  if (selection.where && selection.where.length > 0 && decoder === undefined) {
    invalid('where', 'needs the schema registry to decode values (SCHEMA_REGISTRY_URL or --registry)')
  }
}
