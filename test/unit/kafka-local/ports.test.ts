import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { PortInUseError } from '@event-backbone/errors'
import { assertPortFree, freePort } from '#libs/kafka-local'

test('finds a port that can be bound', async () => {
  const port = await freePort()
  await assertPortFree(port)
})

test('reports a port that is already bound as in use, naming it', async (t) => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const address = server.address()
  assert.ok(address && typeof address === 'object')
  await assert.rejects(assertPortFree(address.port), (error: unknown) => {
    assert.ok(error instanceof PortInUseError)
    assert.match(error.message, new RegExp(`port ${address.port} on 127.0.0.1 is already in use`))
    return true
  })
})
