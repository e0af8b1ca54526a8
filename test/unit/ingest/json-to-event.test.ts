import assert from 'node:assert/strict'
import { test } from 'node:test'
import { schemaType } from '@event-backbone/catalog'
import { jsonToEvent } from '#libs/ingest'

const payment = {
  eventId: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
  occurredAt: '2026-11-27T10:16:01.500Z',
  source: 'payments-gateway',
  paymentId: 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff',
  payerAccountId: 'acct-payer-0001',
  payeeAccountId: 'acct-payee-0002',
  amountMinor: 12999,
  currency: 'EUR',
  method: 'CARD',
}

test('a JSON payment becomes an event with a Date, and omitted optional fields become null', () => {
  const result = jsonToEvent('PaymentConfirmed', payment)
  assert.ok(result.ok)
  assert.deepEqual(result.event.occurredAt, new Date('2026-11-27T10:16:01.500Z'))
  assert.equal(result.event.providerReference, null)
  assert.equal(result.event.description, null)
  assert.ok(schemaType('PaymentConfirmed').isValid(result.event))
})

test('occurredAt may be integer epoch milliseconds', () => {
  const result = jsonToEvent('PaymentConfirmed', { ...payment, occurredAt: 1_764_238_561_500 })
  assert.ok(result.ok)
  assert.equal(result.event.occurredAt.getTime(), 1_764_238_561_500)
})

test('every wrong field is reported with its path and what was expected', () => {
  const result = jsonToEvent('PaymentConfirmed', {
    ...payment,
    amountMinor: '12.5',
    method: 'CASH',
    occurredAt: '2026-11-27',
    eventId: 'not-a-uuid',
  })
  assert.ok(!result.ok)
  assert.deepEqual(
    result.errors.map((error) => error.path),
    ['eventId', 'occurredAt', 'amountMinor', 'method'],
  )
  assert.deepEqual(
    result.errors.find((error) => error.path === 'amountMinor'),
    {
      path: 'amountMinor',
      message: 'expected long (an integer), got "12.5"',
    },
  )
  assert.match(result.errors.find((error) => error.path === 'method')!.message, /one of CARD, BANK_TRANSFER/)
})

test('a float amount is refused: money is an integer of minor units', () => {
  const result = jsonToEvent('PaymentConfirmed', { ...payment, amountMinor: 12.5 })
  assert.ok(!result.ok)
  assert.equal(result.errors[0]!.path, 'amountMinor')
})

test('a missing required field and an unknown field are both named', () => {
  const { currency: _omitted, ...withoutCurrency } = payment
  const result = jsonToEvent('PaymentConfirmed', { ...withoutCurrency, amount: 5 })
  assert.ok(!result.ok)
  assert.deepEqual(result.errors, [
    { path: 'amount', message: 'unknown field' },
    { path: 'currency', message: 'required field missing' },
  ])
})

test('a body that is not an object is refused as a whole', () => {
  const result = jsonToEvent('SensorReading', [1, 2])
  assert.ok(!result.ok)
  assert.deepEqual(result.errors, [{ path: '(body)', message: 'expected a JSON object, got an array' }])
})

test('nested arrays and maps report indexed paths, and __proto__ cannot reach the prototype', () => {
  const upload = JSON.parse(
    JSON.stringify({
      eventId: '6f1c2a4e-8b0d-4c3e-9a57-1d2e3f405162',
      occurredAt: 0,
      source: 's',
      uploadId: '0b7e5d1a-2c3f-4e6a-8b9c-0d1e2f3a4b5c',
      ownerId: 'o',
      fileName: 'f',
      contentType: 'text/plain',
      sizeBytes: 1,
      storageUri: 's3://x',
      checksumSha256: 'x',
    }).replace(/}$/, ',"tags":{"__proto__":"x","ok":"y"}}'),
  )
  const result = jsonToEvent('FileUploadCompleted', upload)
  assert.ok(result.ok)
  assert.equal(Object.getPrototypeOf(result.event.tags), Object.prototype)
  assert.equal(result.event.tags['ok'], 'y')
  assert.equal(Object.getOwnPropertyDescriptor(result.event.tags, '__proto__')?.value, 'x')

  const posting = jsonToEvent('LedgerPosting', {
    eventId: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
    occurredAt: 0,
    source: 's',
    postingId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
    paymentId: 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff',
    sourceEventId: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
    lines: [{ accountId: 'a', direction: 'DEBIT', amountMinor: 1, currency: 'EUR' }, { accountId: 'b' }],
  })
  assert.ok(!posting.ok)
  assert.ok(posting.errors.some((error) => error.path === 'lines[1].direction'))
})
