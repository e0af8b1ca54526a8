import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '@event-backbone/errors'
import Fastify from 'fastify'
import { Access, authFromEnv, hashToken } from '../../../services/dlq-console/src/auth.ts'

async function app(env: NodeJS.ProcessEnv) {
  const auth = authFromEnv(env)
  const server = Fastify()
  server.get('/read', async (request, reply) => auth.check(request, reply, Access.read) ?? reply)
  server.post('/write', async (request, reply) => auth.check(request, reply, Access.operate) ?? reply)
  return server
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

test('writes need a named operator token: 401 without, 403 with a wrong or read token, the name with a right one', async () => {
  const server = await app({
    DLQ_OPERATORS: 'alice:alice-secret,bob:bob-secret',
    DLQ_READ_TOKEN: 'reader-secret',
  })
  assert.equal((await server.inject({ method: 'POST', url: '/write' })).statusCode, 401)
  assert.equal(
    (await server.inject({ method: 'POST', url: '/write', headers: bearer('nope-nope') })).statusCode,
    403,
  )
  assert.equal(
    (await server.inject({ method: 'POST', url: '/write', headers: bearer('reader-secret') })).statusCode,
    403,
  )
  const ok = await server.inject({ method: 'POST', url: '/write', headers: bearer('bob-secret') })
  assert.equal(ok.body, 'bob')
})

test('reads are open without a read token and need one when it is set', async () => {
  const open = await app({ DLQ_OPERATOR_TOKEN: 'single-secret' })
  assert.equal((await open.inject({ url: '/read' })).statusCode, 200)
  const closed = await app({ DLQ_READ_TOKEN: 'reader-secret' })
  assert.equal((await closed.inject({ url: '/read' })).statusCode, 401)
  assert.equal((await closed.inject({ url: '/read', headers: bearer('reader-secret') })).body, 'reader')
})

test('malformed operator lists and short tokens are refused at start', () => {
  assert.throws(() => authFromEnv({ DLQ_OPERATORS: 'alice' }), UsageError)
  assert.throws(() => authFromEnv({ DLQ_OPERATORS: 'alice:short' }), UsageError)
  assert.throws(() => authFromEnv({ DLQ_OPERATOR_TOKEN: 'short' }), UsageError)
})

test('operator and read tokens may be configured as sha256:<hex> of the token, and work like the plain form', async () => {
  assert.match(hashToken('alice-secret'), /^sha256:[0-9a-f]{64}$/)
  const server = await app({
    DLQ_OPERATORS: `alice:${hashToken('alice-secret')},bob:bob-secret`,
    DLQ_READ_TOKEN: hashToken('reader-secret'),
  })
  const alice = await server.inject({ method: 'POST', url: '/write', headers: bearer('alice-secret') })
  assert.equal(alice.body, 'alice')
  assert.equal(
    (await server.inject({ method: 'POST', url: '/write', headers: bearer('bob-secret') })).body,
    'bob',
  )
  assert.equal((await server.inject({ url: '/read', headers: bearer('reader-secret') })).body, 'reader')
  const hashAsToken = hashToken('alice-secret')
  assert.equal(
    (await server.inject({ method: 'POST', url: '/write', headers: bearer(hashAsToken) })).statusCode,
    403,
    'the configured hash is not itself a token',
  )
  assert.throws(() => authFromEnv({ DLQ_OPERATORS: 'alice:sha256:abc' }), UsageError)
  assert.throws(() => authFromEnv({ DLQ_AUTH_FAILURE_LIMIT: 'many' }), UsageError)
})

test('an address with too many failed attempts gets 429 with Retry-After even with a right token; others do not', async () => {
  const server = await app({ DLQ_OPERATORS: 'alice:alice-secret', DLQ_AUTH_FAILURE_LIMIT: '3/h' })
  const guesser = '198.51.100.7'
  for (const token of ['guess-one', 'guess-two']) {
    const wrong = await server.inject({
      method: 'POST',
      url: '/write',
      remoteAddress: guesser,
      headers: bearer(token),
    })
    assert.equal(wrong.statusCode, 403)
  }
  assert.equal(
    (await server.inject({ method: 'POST', url: '/write', remoteAddress: guesser })).statusCode,
    401,
  )
  const blocked = await server.inject({
    method: 'POST',
    url: '/write',
    remoteAddress: guesser,
    headers: bearer('alice-secret'),
  })
  assert.equal(blocked.statusCode, 429)
  assert.ok(Number(blocked.headers['retry-after']) > 1_000, String(blocked.headers['retry-after']))
  assert.equal((blocked.json() as { error: string }).error, 'rate_limited')
  const elsewhere = await server.inject({
    method: 'POST',
    url: '/write',
    remoteAddress: '203.0.113.9',
    headers: bearer('alice-secret'),
  })
  assert.equal(elsewhere.body, 'alice')
})
