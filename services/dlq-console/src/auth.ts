import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { UsageError } from '#libs/errors'

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

/**
 * Tokens from the environment: `DLQ_OPERATORS="alice:token1,bob:token2"` names each operator (the
 * name is the "who" of replays and audit), `DLQ_OPERATOR_TOKEN` is one unnamed operator ("operator"),
 * `DLQ_READ_TOKEN` protects the read-only endpoints (open when unset; operator tokens read too).
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
    if (at < 1 || token.length < 8 || !/^[\w.@-]{1,64}$/.test(name)) {
      throw new UsageError(
        'DLQ_OPERATORS needs name:token pairs separated by commas, names of [A-Za-z0-9_.@-], tokens of at least 8 characters',
      )
    }
    credentials.push({ name, access: Access.operate, digest: digest(token) })
  }
  const single = env['DLQ_OPERATOR_TOKEN']
  if (single) {
    if (single.length < 8) throw new UsageError('DLQ_OPERATOR_TOKEN needs at least 8 characters')
    credentials.push({ name: 'operator', access: Access.operate, digest: digest(single) })
  }
  const read = env['DLQ_READ_TOKEN']
  if (read) credentials.push({ name: 'reader', access: Access.read, digest: digest(read) })
  return authFrom(credentials, !read)
}

function authFrom(credentials: readonly Credential[], readOpen: boolean): Auth {
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
      if (!token) {
        void reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="dlq-console"')
          .send({
            error: 'unauthorized',
            message: `this needs an ${need === Access.operate ? 'operator' : 'read'} token: Authorization: Bearer <token>`,
          })
        return undefined
      }
      const credential = find(token)
      if (!credential || (need === Access.operate && credential.access !== Access.operate)) {
        void reply.code(403).send({
          error: 'forbidden',
          message: need === Access.operate ? 'this token may not replay' : 'this token is not valid',
        })
        return undefined
      }
      return credential.name
    },
  }
}
