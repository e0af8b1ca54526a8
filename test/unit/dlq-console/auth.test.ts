import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import { UsageError } from '#libs/errors'
import { Access, authFromEnv } from '../../../services/dlq-console/src/auth.ts'

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
