import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  RegistryIncompatibleSchemaError,
  RegistryRequestRejectedError,
  RegistryUnavailableError,
  UnknownSchemaIdError,
} from '@event-backbone/errors'
import { toRegistryError } from '../../../libs/serde/src/registry-error-mapping.ts'

// The shape @kafkajs/confluent-schema-registry's HTTP client rejects with.
function responseError(status: number, message: string): Error {
  return Object.assign(new Error(`Confluent_Schema_Registry - ${message}`), { name: 'ResponseError', status })
}

const lookup = {
  operation: 'getSchemaById',
  context: { registryUrl: 'http://registry:8081', schemaId: 9 },
} as const
const register = {
  operation: 'register',
  context: { registryUrl: 'http://registry:8081', subject: 'payments-value' },
} as const

test('a 404 for a schema id is an UnknownSchemaIdError that is not retriable', () => {
  const error = toRegistryError(responseError(404, 'Schema 9 not found'), lookup)
  assert.ok(error instanceof UnknownSchemaIdError)
  assert.equal(error.retriable, false)
  assert.match(error.message, /does not know schema id 9/)
  assert.equal(error.context['status'], 404)
})

test('5xx, 408 and 429 answers are a retriable RegistryUnavailableError', () => {
  for (const status of [500, 502, 503, 408, 429]) {
    const error = toRegistryError(responseError(status, 'busy'), lookup)
    assert.ok(error instanceof RegistryUnavailableError, String(status))
    assert.equal(error.retriable, true)
  }
})

test('a refused connection or a timeout is a RegistryUnavailableError although the client reports status 400', () => {
  for (const text of [
    'Error, status 400: connect ECONNREFUSED 127.0.0.1:8081',
    'Error, status 400: Timeout (5000ms)',
  ]) {
    assert.ok(toRegistryError(responseError(400, text), register) instanceof RegistryUnavailableError, text)
  }
  const socketError = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
  assert.ok(toRegistryError(socketError, lookup) instanceof RegistryUnavailableError)
})

test('a 409 on register is a RegistryIncompatibleSchemaError naming the subject', () => {
  const error = toRegistryError(responseError(409, 'Schema being registered is incompatible'), register)
  assert.ok(error instanceof RegistryIncompatibleSchemaError)
  assert.match(error.message, /payments-value/)
})

test('other refusals (invalid schema, credentials) are a RegistryRequestRejectedError that is not retriable', () => {
  for (const status of [401, 403, 422]) {
    const error = toRegistryError(responseError(status, 'no'), register)
    assert.ok(error instanceof RegistryRequestRejectedError, String(status))
    assert.equal(error.retriable, false)
  }
})

test('a backbone error passes through unchanged', () => {
  const original = new RegistryUnavailableError('timed out')
  assert.equal(toRegistryError(original, lookup), original)
})
