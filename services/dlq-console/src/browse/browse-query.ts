import { type FieldPredicate, parsePredicate } from '#libs/dlq'

/** The bounds every browse request lives within (docs/console.md). */
export const browseBounds = {
  /** Records returned at most (`limit`). */
  maxLimit: 200,
  defaultLimit: 50,
  /** Records read at most per request, whatever the mode (the scan budget). */
  maxScan: 20_000,
  /** A key search reads the last `scan` records of each partition; this is its default. */
  defaultKeyWindow: 1_000,
  /** A request stops reading after this long and answers with what it found, marked `timeout`. */
  timeoutMs: 10_000,
} as const

export const BrowseMode = { latest: 'latest', offset: 'offset', timestamp: 'timestamp', key: 'key' } as const
export type BrowseMode = (typeof BrowseMode)[keyof typeof BrowseMode]

export interface BrowseQuery {
  readonly mode: BrowseMode
  readonly partition?: number
  readonly offset?: string
  readonly timestamp?: number
  readonly key?: string
  /** Records per partition a key search reads, from the end. */
  readonly window: number
  readonly limit: number
  /** `where`: a field predicate on the decoded value, the syntax of `dlq show --where`. */
  readonly where?: FieldPredicate
  /** `q`: a case-insensitive substring of the shown record (decoded value as JSON, or its text). */
  readonly text?: string
}

/** A query parameter that does not make sense: answered 400 naming the parameter. */
export class BrowseQueryError extends Error {
  readonly statusCode = 400
  constructor(parameter: string, problem: string) {
    super(`${parameter} ${problem}`)
    this.name = 'BrowseQueryError'
  }
}

const one = (value: unknown, name: string): string | undefined => {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new BrowseQueryError(name, 'may be given once')
  return value
}

function integer(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max)
    throw new BrowseQueryError(
      name,
      `needs to be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`,
    )
  return Number(text)
}

function time(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(ms))
    throw new BrowseQueryError(
      'timestamp',
      `needs to be epoch milliseconds or an ISO date-time, not ${JSON.stringify(text)}`,
    )
  return ms
}

/** Reads and checks the query string; exactly one of offset, timestamp and key picks the mode. */
export function parseBrowseQuery(query: Record<string, unknown>): BrowseQuery {
  const known = ['partition', 'offset', 'timestamp', 'key', 'scan', 'limit', 'where', 'q']
  const unknown = Object.keys(query).filter((name) => !known.includes(name))
  if (unknown.length > 0)
    throw new BrowseQueryError(unknown.join(', '), `is not a parameter; use ${known.join(', ')}`)
  const partition = integer(one(query['partition'], 'partition'), 'partition', 0, 1_000_000)
  const offsetText = one(query['offset'], 'offset')
  if (offsetText !== undefined && !/^\d{1,19}$/.test(offsetText))
    throw new BrowseQueryError(
      'offset',
      `needs to be a non-negative offset, not ${JSON.stringify(offsetText)}`,
    )
  const timestamp = time(one(query['timestamp'], 'timestamp'))
  const key = one(query['key'], 'key')
  const modes = [offsetText !== undefined, timestamp !== undefined, key !== undefined].filter(Boolean).length
  if (modes > 1) throw new BrowseQueryError('offset, timestamp and key', 'are alternatives: give one of them')
  if (offsetText !== undefined && partition === undefined)
    throw new BrowseQueryError('partition', 'is needed with offset')
  const limit =
    integer(one(query['limit'], 'limit'), 'limit', 1, browseBounds.maxLimit) ?? browseBounds.defaultLimit
  const window =
    integer(one(query['scan'], 'scan'), 'scan', 1, browseBounds.maxScan) ?? browseBounds.defaultKeyWindow
  const whereText = one(query['where'], 'where')
  const text = one(query['q'], 'q')
  let where: FieldPredicate | undefined
  try {
    where = whereText ? parsePredicate(whereText.trim()) : undefined
  } catch (error) {
    throw new BrowseQueryError('where', (error as Error).message.replace(/^.*?where:?\s*/, ''))
  }
  const mode =
    offsetText !== undefined
      ? BrowseMode.offset
      : timestamp !== undefined
        ? BrowseMode.timestamp
        : key !== undefined
          ? BrowseMode.key
          : BrowseMode.latest
  return {
    mode,
    ...(partition === undefined ? {} : { partition }),
    ...(offsetText === undefined ? {} : { offset: offsetText }),
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(key === undefined ? {} : { key }),
    window,
    limit,
    ...(where ? { where } : {}),
    ...(text ? { text: text.toLowerCase() } : {}),
  }
}
