import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InvalidTraceparentError } from '@event-backbone/errors'
import { parseTraceparent } from '#libs/publisher'
import { buildMessage, chooseTraceparent, recordSize } from '../../../libs/publisher/src/record.ts'

const given = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
const active = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

test('the traceparent option wins over a traceparent header, which wins over the active context', () => {
  const header = '00-11111111111111111111111111111111-2222222222222222-00'
  assert.equal(
    chooseTraceparent({ traceparent: given, headers: { traceparent: header } }, () => active),
    given,
  )
  assert.equal(
    chooseTraceparent({ headers: { traceparent: Buffer.from(header) } }, () => active),
    header,
  )
  assert.equal(
    chooseTraceparent(undefined, () => active),
    active,
  )
})

test('a bad traceparent from the caller throws, a bad active context is replaced by a fresh trace', () => {
  assert.throws(() => chooseTraceparent({ traceparent: 'nope' }, undefined), InvalidTraceparentError)
  assert.throws(
    () => chooseTraceparent({ headers: { traceparent: 'nope' } }, undefined),
    InvalidTraceparentError,
  )
  const fresh = chooseTraceparent(undefined, () => 'garbage')
  assert.ok(parseTraceparent(fresh))
  assert.notEqual(fresh, 'garbage')
})

test("the publisher's headers override the caller's, which override the encoder's", () => {
  const message = buildMessage(
    'OrderPlaced',
    { topic: 't', key: 'k', value: Buffer.from('v'), headers: { a: 'encoder', b: 'encoder' } },
    { headers: { b: 'caller', 'eb-event-type': 'spoofed' } },
    given,
  )
  assert.deepEqual(message.headers, {
    a: 'encoder',
    b: 'caller',
    'eb-event-type': 'OrderPlaced',
    traceparent: given,
  })
})

test('the size estimate grows with key, value and headers', () => {
  const base = buildMessage('E', { topic: 't', key: null, value: Buffer.alloc(100) }, undefined, given)
  const keyed = buildMessage('E', { topic: 't', key: 'é', value: Buffer.alloc(100) }, undefined, given)
  const withHeader = buildMessage(
    'E',
    { topic: 't', key: null, value: Buffer.alloc(100) },
    { headers: { h: 'vv' } },
    given,
  )
  assert.ok(recordSize(base) > 100 + given.length)
  assert.equal(recordSize(keyed) - recordSize(base), 2, 'key bytes, not characters')
  assert.ok(recordSize(withHeader) > recordSize(base) + 3)
})
