import { hash, timingSafeEqual } from 'node:crypto'
import { IngestConfigError } from '@event-backbone/errors'
import { parseRate, type Rate } from '#libs/service'

/** A configured API key: a name for logs and metrics, the SHA-256 of the secret, its event types. */
export interface ApiKey {
  readonly name: string
  readonly sha256: Buffer
  /** Event types the key may publish; `'*'` means every type the gateway serves. */
  readonly eventTypes: ReadonlySet<string> | '*'
  /** This key's own rate limit, instead of the gateway's `INGEST_RATE_LIMIT`. */
  readonly rate?: Rate
}

/** The SHA-256 of a key as 64 lowercase hex digits: what `INGEST_API_KEYS` stores. */
export function hashApiKey(secret: string): string {
  return hash('sha256', secret, 'hex')
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/
const HEX64 = /^[0-9a-f]{64}$/
const TYPE = /^[A-Za-z][A-Za-z0-9]*$/

/**
 * Parses `name:sha256hex:Type1|Type2[:rate]` entries separated by commas (or newlines); `*` as
 * the type list allows every event type, the optional rate (`50/s`, `50/s burst 200`) overrides
 * `INGEST_RATE_LIMIT` for that key. Only hashes are configured, so the environment, a config
 * dump or a log line never holds a usable key. Rotation: add the new key under a new name,
 * move clients, remove the old entry.
 */
export function parseApiKeys(spec: string, knownEventTypes: readonly string[]): ApiKey[] {
  const keys: ApiKey[] = []
  const entries = spec
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  for (const [index, entry] of entries.entries()) {
    const fail = (why: string): never => {
      throw new IngestConfigError(`INGEST_API_KEYS entry ${index + 1} ${why}`, {
        context: { variable: 'INGEST_API_KEYS', entry: index + 1 },
      })
    }
    const parts = entry.split(':')
    if (parts.length !== 3 && parts.length !== 4) fail('needs the form name:sha256hex:Type1|Type2[:rate]')
    const [name, hash, types, rateText] = parts as [string, string, string, string | undefined]
    if (!NAME.test(name)) fail(`has the name ${JSON.stringify(name)}; use 1-64 of [A-Za-z0-9._-]`)
    if (keys.some((key) => key.name === name)) fail(`repeats the name ${name}`)
    if (!HEX64.test(hash)) fail(`(${name}) needs the key's SHA-256 as 64 lowercase hex digits`)
    let eventTypes: ApiKey['eventTypes']
    if (types.trim() === '*') eventTypes = '*'
    else {
      const list = types.split('|').map((type) => type.trim())
      for (const type of list) {
        if (!TYPE.test(type) || !knownEventTypes.includes(type)) {
          fail(
            `(${name}) names ${JSON.stringify(type)}, not an event type; known: ${knownEventTypes.join(', ')}`,
          )
        }
      }
      eventTypes = new Set(list)
    }
    const rate = rateText === undefined ? undefined : parseRate(rateText)
    if (rateText !== undefined && rate === undefined) {
      fail(`(${name}) has the rate ${JSON.stringify(rateText)}; use for example 50/s or 50/s burst 200`)
    }
    keys.push({ name, sha256: Buffer.from(hash, 'hex'), eventTypes, ...(rate ? { rate } : {}) })
  }
  return keys
}

/** The key presented in `Authorization: Bearer <key>` or `x-api-key`, if any. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers['authorization']
  if (typeof authorization === 'string') {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)
    if (match) return match[1]
  }
  const header = headers['x-api-key']
  return typeof header === 'string' && header !== '' ? header : undefined
}

/**
 * The key whose hash matches `secret`. The secret is hashed first, so every comparison is over
 * 32 bytes, and every configured key is compared (no early exit), so timing reveals neither
 * the length of a configured key nor which one was closest.
 */
export function findApiKey(keys: readonly ApiKey[], secret: string): ApiKey | undefined {
  // crypto.hash: one call, no Hash object per request (this runs on every gateway request).
  const digest = hash('sha256', secret, 'buffer')
  let found: ApiKey | undefined
  for (const key of keys) {
    if (timingSafeEqual(digest, key.sha256) && found === undefined) found = key
  }
  return found
}

export function mayPublish(key: ApiKey, eventType: string): boolean {
  return key.eventTypes === '*' || key.eventTypes.has(eventType)
}
