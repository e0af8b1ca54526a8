import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventTypes } from '@event-backbone/catalog'
import { IngestConfigError } from '@event-backbone/errors'
import { findApiKey, hashApiKey, mayPublish, parseApiKeys, presentedKey } from '#libs/ingest'

const known = [...eventTypes()]

test('a configured key is found by its secret and carries its event types', () => {
  const keys = parseApiKeys(
    `sensors:${hashApiKey('s3cret')}:SensorReading|UserLogin,\nops:${hashApiKey('ops-key')}:*`,
    known,
  )
  const sensors = findApiKey(keys, 's3cret')
  assert.equal(sensors?.name, 'sensors')
  assert.ok(mayPublish(sensors!, 'UserLogin'))
  assert.ok(!mayPublish(sensors!, 'PaymentConfirmed'))
  assert.ok(mayPublish(findApiKey(keys, 'ops-key')!, 'PaymentConfirmed'))
  assert.equal(findApiKey(keys, 's3cret '), undefined)
  assert.equal(findApiKey(keys, ''), undefined)
})

test('only the hash is kept: the parsed keys do not contain the secret', () => {
  const keys = parseApiKeys(`a:${hashApiKey('plain-secret')}:*`, known)
  assert.ok(!JSON.stringify(keys).includes('plain-secret'))
  assert.equal(keys[0]!.sha256.length, 32)
})

test('malformed entries fail with a message naming the entry and the problem', () => {
  const hash = hashApiKey('x')
  const cases: Array<[string, RegExp]> = [
    ['just-a-name', /entry 1 needs the form name:sha256hex:Type1\|Type2/],
    [`a:${hash}:*,a:${hash}:*`, /entry 2 repeats the name a/],
    ['a:abc:*', /entry 1 \(a\) needs the key's SHA-256/],
    [`a:${hash}:OrderPlaced`, /names "OrderPlaced", not an event type/],
    [`bad name:${hash}:*`, /has the name "bad name"/],
  ]
  for (const [spec, message] of cases) {
    assert.throws(
      () => parseApiKeys(spec, known),
      (error: unknown) => {
        assert.ok(error instanceof IngestConfigError)
        assert.match(error.message, message)
        assert.ok(!error.message.includes(hash), 'the hash is not echoed')
        return true
      },
    )
  }
})

test('the key is read from a Bearer authorization header or from x-api-key', () => {
  assert.equal(presentedKey({ authorization: 'Bearer abc' }), 'abc')
  assert.equal(presentedKey({ authorization: 'bearer   abc ' }), 'abc')
  assert.equal(presentedKey({ 'x-api-key': 'xyz' }), 'xyz')
  assert.equal(presentedKey({ authorization: 'Basic abc' }), undefined)
  assert.equal(presentedKey({}), undefined)
})

test('a key entry may carry its own rate as a fourth part, and a bad rate is refused naming the key', () => {
  const [slow, plain] = parseApiKeys(
    `slow:${hashApiKey('a')}:*:50/s burst 200,plain:${hashApiKey('b')}:*`,
    known,
  )
  assert.deepEqual(slow?.rate, { perSecond: 50, burst: 200 })
  assert.equal(plain?.rate, undefined)
  assert.throws(
    () => parseApiKeys(`odd:${hashApiKey('a')}:*:fast`, known),
    (error: unknown) => {
      assert.ok(error instanceof IngestConfigError)
      assert.match(error.message, /\(odd\) has the rate "fast"/)
      return true
    },
  )
})
