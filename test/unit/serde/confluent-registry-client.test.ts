import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type TestContext, test } from 'node:test'
import { RegistryUnavailableError, UnknownSchemaIdError } from '@event-backbone/errors'
import { ConfluentRegistryClient } from '@event-backbone/serde'

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void

/** A stub HTTP server answering like a registry would; it stands in for the registry in unit tests only. */
async function stubRegistry(t: TestContext, handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on('end', () => handler(request, body, response))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' })
  response.end(JSON.stringify(body))
}

test('getSchemaById returns the schema text the registry stores under the id', async (t) => {
  const schema =
    '{"type":"record","name":"A","fields":[{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}}]}'
  const url = await stubRegistry(t, (request, _body, response) => {
    assert.equal(request.url, '/schemas/ids/7')
    json(response, 200, { schema })
  })
  assert.equal(await new ConfluentRegistryClient(url).getSchemaById(7), schema)
})

test('an unknown id (404, error_code 40403) is an UnknownSchemaIdError', async (t) => {
  const url = await stubRegistry(t, (_request, _body, response) => {
    json(response, 404, { error_code: 40403, message: 'Schema 99 not found' })
  })
  await assert.rejects(new ConfluentRegistryClient(url).getSchemaById(99), UnknownSchemaIdError)
})

test('register sends basic auth, sets BACKWARD on a new subject and returns the id', async (t) => {
  const seen: string[] = []
  const url = await stubRegistry(t, (request, body, response) => {
    seen.push(`${request.method} ${request.url}`)
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('key:secret').toString('base64')}`)
    if (request.url === '/config/payments-value' && request.method === 'GET') {
      json(response, 404, { error_code: 40408, message: 'Subject does not have subject-level compatibility' })
    } else if (request.url === '/subjects/payments-value/versions') {
      assert.equal(JSON.parse(body).schema, '{"type":"record","name":"P","fields":[]}')
      json(response, 200, { id: 31 })
    } else {
      assert.deepEqual(JSON.parse(body), { compatibility: 'BACKWARD' })
      json(response, 200, { compatibility: 'BACKWARD' })
    }
  })
  const client = new ConfluentRegistryClient(url, { auth: { username: 'key', password: 'secret' } })
  assert.equal(await client.register('payments-value', '{"type":"record","name":"P","fields":[]}'), 31)
  assert.deepEqual(seen, [
    'GET /config/payments-value',
    'POST /subjects/payments-value/versions',
    'PUT /config/payments-value',
  ])
})

test('credentials in the URL are sent as basic auth', async (t) => {
  const url = await stubRegistry(t, (request, _body, response) => {
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('key:s3cr/t').toString('base64')}`)
    json(response, 200, { schema: '"string"' })
  })
  const withCredentials = url.replace('http://', 'http://key:s3cr%2Ft@')
  assert.equal(await new ConfluentRegistryClient(withCredentials).getSchemaById(1), '"string"')
})

test('a registry answering 503 is a retriable RegistryUnavailableError', async (t) => {
  const url = await stubRegistry(t, (_request, _body, response) => {
    json(response, 503, { error_code: 50003, message: 'leader unavailable' })
  })
  await assert.rejects(
    new ConfluentRegistryClient(url, { retries: 0 }).getSchemaById(1),
    (error: unknown) => {
      assert.ok(error instanceof RegistryUnavailableError)
      assert.equal(error.retriable, true)
      return true
    },
  )
})

test('a registry that does not answer in time is a RegistryUnavailableError', async (t) => {
  const url = await stubRegistry(t, () => {})
  await assert.rejects(new ConfluentRegistryClient(url, { timeoutMs: 100 }).getSchemaById(1), /within 100 ms/)
})

test('nothing listening is a RegistryUnavailableError whose message and context hide the credentials', async () => {
  // Port 1 (tcpmux) is privileged and unused on any machine that runs this suite.
  const client = new ConfluentRegistryClient('http://key:secret@127.0.0.1:1', { retries: 0 })
  assert.equal(client.url, 'http://127.0.0.1:1')
  await assert.rejects(client.getSchemaById(1), (error: unknown) => {
    assert.ok(error instanceof RegistryUnavailableError)
    assert.match(error.message, /ECONNREFUSED/)
    assert.doesNotMatch(error.message, /secret/)
    assert.equal(error.context['registryUrl'], 'http://127.0.0.1:1')
    return true
  })
})
