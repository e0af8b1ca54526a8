/** A rate with its burst: `perSecond` tokens flow in, at most `burst` are held. */
export interface Rate {
  readonly perSecond: number
  readonly burst: number
}

const UNITS = { s: 1, m: 60, h: 3_600 } as const

/**
 * Parses `100/s`, `600/m`, `100/s burst 300` (burst defaults to one unit's worth: `100/s` holds
 * 100). Undefined when the text is not a rate; `off` is not a rate either, the caller decides.
 */
export function parseRate(text: string): Rate | undefined {
  const match = /^(\d+)\s*\/\s*(s|m|h)(?:\s+burst\s+(\d+))?$/.exec(text.trim())
  if (!match) return undefined
  const count = Number(match[1])
  const seconds = UNITS[match[2] as keyof typeof UNITS]
  const burst = match[3] === undefined ? count : Number(match[3])
  if (count < 1 || burst < 1) return undefined
  return { perSecond: count / seconds, burst }
}

export function formatRate(rate: Rate): string {
  return `${rate.perSecond}/s burst ${rate.burst}`
}

export type Admission = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number }

interface Bucket {
  tokens: number
  last: number
  readonly rate: Rate
}

/**
 * Token buckets by id (an API key's name, a client address), answered at once: a request over
 * its rate is refused with the seconds until a token is back, never queued. Buckets are dropped
 * once full again, so the map holds only ids that were active lately and a flood of distinct
 * addresses cannot grow it past `maxIds` (beyond that new ids share one overflow bucket).
 */
export class RateLimiter {
  readonly #rate: Rate
  readonly #now: () => number
  readonly #maxIds: number
  readonly #buckets = new Map<string, Bucket>()
  #overflow: Bucket | undefined

  constructor(rate: Rate, options: { readonly now?: () => number; readonly maxIds?: number } = {}) {
    this.#rate = rate
    this.#now = options.now ?? Date.now
    this.#maxIds = options.maxIds ?? 100_000
  }

  #bucket(id: string, rate: Rate, now: number): Bucket {
    let bucket = this.#buckets.get(id)
    if (!bucket) {
      if (this.#buckets.size >= this.#maxIds) this.#prune(now)
      if (this.#buckets.size < this.#maxIds) {
        bucket = { tokens: rate.burst, last: now, rate }
        this.#buckets.set(id, bucket)
        return bucket
      }
      this.#overflow ??= { tokens: rate.burst, last: now, rate }
      bucket = this.#overflow
    }
    bucket.tokens = Math.min(
      bucket.rate.burst,
      bucket.tokens + ((now - bucket.last) / 1_000) * bucket.rate.perSecond,
    )
    bucket.last = now
    return bucket
  }

  #prune(now: number): void {
    for (const [id, bucket] of this.#buckets) {
      const tokens = bucket.tokens + ((now - bucket.last) / 1_000) * bucket.rate.perSecond
      if (tokens >= bucket.rate.burst) this.#buckets.delete(id)
    }
  }

  /** Whether `id` may go on now, without spending a token. */
  check(id: string, rate: Rate = this.#rate): Admission {
    const now = this.#now()
    const bucket = this.#bucket(id, rate, now)
    return bucket.tokens >= 1 ? { ok: true } : this.#refused(bucket)
  }

  /** Spends `count` tokens of `id` if it has them; otherwise spends nothing and refuses. */
  take(id: string, count = 1, rate: Rate = this.#rate): Admission {
    const bucket = this.#bucket(id, rate, this.#now())
    if (bucket.tokens >= count) {
      bucket.tokens -= count
      return { ok: true }
    }
    return this.#refused(bucket, count)
  }

  #refused(bucket: Bucket, count = 1): Admission {
    const missing = Math.min(count, bucket.rate.burst) - bucket.tokens
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / bucket.rate.perSecond)) }
  }

  /** Ids currently tracked (for tests and the bound). */
  get size(): number {
    return this.#buckets.size
  }
}
