import { randomBytes } from 'node:crypto'
import { TRACEPARENT_HEADER } from '#libs/kafka'

/**
 * W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header):
 *   version "-" trace-id "-" parent-id "-" trace-flags
 * with 2, 32, 16 and 2 lowercase hex digits. Version ff is forbidden; trace-id and parent-id must
 * not be all zeros. A version above 00 may append "-"-separated fields after the first 55
 * characters, which a version-00 reader ignores.
 */
export interface TraceContext {
  readonly traceId: string
  readonly parentId: string
  readonly flags: string
}

export { TRACEPARENT_HEADER }

const FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/s
const ALL_ZEROS = /^0+$/

/** The trace context in `value`, or undefined when it is not a valid traceparent. */
export function parseTraceparent(value: string): TraceContext | undefined {
  const match = FORMAT.exec(value)
  if (!match) return undefined
  const [, version, traceId, parentId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ]
  if (version === 'ff') return undefined
  // Version 00 is exactly 55 characters; only later versions may carry more fields.
  if (version === '00' && rest !== undefined) return undefined
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined
  return { traceId, parentId, flags }
}

/** A version-00 traceparent: what this publisher writes, whatever version it read. */
export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.parentId}-${context.flags}`
}

/**
 * A fresh trace: random ids, flags 00 (not sampled), since no tracer recorded anything for it.
 * Random bytes that happen to be all zeros are redrawn, as the spec forbids them.
 */
export function generateTraceparent(random: (size: number) => Buffer = pooledRandomBytes): string {
  const draw = (size: number): string => {
    for (;;) {
      const hex = random(size).toString('hex')
      if (!ALL_ZEROS.test(hex)) return hex
    }
  }
  return formatTraceparent({ traceId: draw(16), parentId: draw(8), flags: '00' })
}

// One randomBytes call per 170 traces instead of two per trace: it is on every publish's path.
const POOL_SIZE = 4096
let pool = Buffer.alloc(0)
let poolOffset = 0

function pooledRandomBytes(size: number): Buffer {
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_SIZE)
    poolOffset = 0
  }
  const bytes = pool.subarray(poolOffset, poolOffset + size)
  poolOffset += size
  return bytes
}
