import { createHash, timingSafeEqual } from 'node:crypto'
import { UsageError } from '@event-backbone/errors'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { parseRate, problem, RateLimiter, sendProblem } from '#libs/service'

export const Access = { read: 'read', operate: 'operate' } as const
export type Access = (typeof Access)[keyof typeof Access]

interface Credential {
  readonly name: string
  readonly access: Access
  readonly digest: Buffer
}

export interface Auth {
  /** Who presented a valid token for `need`, or undefined after sending 401/403. */
  check(request: FastifyRequest, reply: FastifyReply, need: Access): string | undefined
  readonly readOpen: boolean
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest()

/** The SHA-256 of a token as `sha256:<64 hex>`: the form production configures. */
export function hashToken(token: string): string {
  return `sha256:${digest(token).toString('hex')}`
}

const HASHED = /^sha256:([0-9a-f]{64})$/

/**
 * A configured token's digest: `sha256:<hex>` is taken as the digest itself (nothing usable in the
 * environment), anything else is a plain token of at least 8 characters (the local demo's form).
 */
function configuredDigest(variable: string, value: string): Buffer {
  const hashed = HASHED.exec(value)
  if (hashed) return Buffer.from(hashed[1] as string, 'hex')
  if (value.startsWith('sha256:'))
    throw new UsageError(`${variable}: a sha256: token needs 64 lowercase hex digits`)
  if (value.length < 8) throw new UsageError(`${variable}: a token needs at least 8 characters`)
  return digest(value)
}

/** Failed authentications per client address before every request of it is refused. */
export const DEFAULT_AUTH_FAILURE_LIMIT = '5/s burst 20'

/**
 * Tokens from the environment: `DLQ_OPERATORS="alice:token1,bob:sha256:<hex>"` names each operator
 * (the name is the "who" of replays and audit), `DLQ_OPERATOR_TOKEN` is one unnamed operator
 * ("operator"), `DLQ_READ_TOKEN` protects the read-only endpoints (open when unset; operator tokens
 * read too). Each token may be given plain or as `sha256:<hex>` of the token (production).
 * `DLQ_AUTH_FAILURE_LIMIT` bounds failed attempts per client address (`off` disables it).
 */
export function authFromEnv(env: NodeJS.ProcessEnv): Auth {
  const credentials: Credential[] = []
  for (const entry of (env['DLQ_OPERATORS'] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.indexOf(':')
    const name = entry.slice(0, at)
    const token = entry.slice(at + 1)
    if (at < 1 || !/^[\w.@-]{1,64}$/.test(name)) {
      throw new UsageError(
        'DLQ_OPERATORS needs name:token or name:sha256:<hex> pairs separated by commas, names of [A-Za-z0-9_.@-], tokens of at least 8 characters',
      )
    }
    credentials.push({
      name,
      access: Access.operate,
      digest: configuredDigest(`DLQ_OPERATORS (${name})`, token),
    })
  }
  const single = env['DLQ_OPERATOR_TOKEN']
  if (single) {
    credentials.push({
      name: 'operator',
      access: Access.operate,
      digest: configuredDigest('DLQ_OPERATOR_TOKEN', single),
    })
  }
  const read = env['DLQ_READ_TOKEN']
  if (read)
    credentials.push({
      name: 'reader',
      access: Access.read,
      digest: configuredDigest('DLQ_READ_TOKEN', read),
    })
  const limitText = env['DLQ_AUTH_FAILURE_LIMIT']?.trim() || DEFAULT_AUTH_FAILURE_LIMIT
  const limit = limitText === 'off' ? undefined : parseRate(limitText)
  if (limitText !== 'off' && !limit) {
    throw new UsageError(
      `DLQ_AUTH_FAILURE_LIMIT needs a rate such as 5/s burst 20 (or off), got ${JSON.stringify(limitText)}`,
    )
  }
  return authFrom(credentials, !read, limit ? new RateLimiter(limit) : undefined)
}

function authFrom(credentials: readonly Credential[], readOpen: boolean, failures?: RateLimiter): Auth {
  // Every credential is compared, match or not, so the time taken says nothing about which matched.
  const find = (token: string): Credential | undefined => {
    const presented = digest(token)
    let found: Credential | undefined
    for (const credential of credentials) {
      if (timingSafeEqual(presented, credential.digest) && !found) found = credential
    }
    return found
  }
  return {
    readOpen,
    check(request, reply, need) {
      const header = request.headers.authorization
      const token =
        typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined
      if (need === Access.read && readOpen) return token ? (find(token)?.name ?? 'anonymous') : 'anonymous'
      // Refused before the token is looked at: a normal answer to a right token would end a guesser's search.
      const blocked = failures?.check(request.ip)
      if (blocked && !blocked.ok) {
        void sendProblem(reply, {
          ...problem(429, 'rate_limited', 'too many failed authentications from this address; retry later'),
          retryAfter: blocked.retryAfterSeconds,
        })
        return undefined
      }
      if (!token) {
        failures?.take(request.ip)
        void sendProblem(
          reply.header('www-authenticate', 'Bearer realm="dlq-console"'),
          problem(
            401,
            'unauthorized',
            `this needs an ${need === Access.operate ? 'operator' : 'read'} token: Authorization: Bearer <token>`,
          ),
        )
        return undefined
      }
      const credential = find(token)
      if (!credential) failures?.take(request.ip)
      if (!credential || (need === Access.operate && credential.access !== Access.operate)) {
        void sendProblem(
          reply,
          problem(
            403,
            'forbidden',
            need === Access.operate ? 'this token may not replay' : 'this token is not valid',
          ),
        )
        return undefined
      }
      return credential.name
    },
  }
}
