import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { formatTraceparent, generateTraceparent, parseTraceparent } from '#libs/publisher'

const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

test('parses a version-00 traceparent into trace id, parent id and flags', () => {
  assert.deepEqual(parseTraceparent(valid), {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    parentId: '00f067aa0ba902b7',
    flags: '01',
  })
})

test('rejects traceparents the W3C format forbids', () => {
  for (const value of [
    '',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    `${valid}-extra`,
    '00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01',
    '0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ` ${valid}`,
    `${valid}\n`,
  ]) {
    assert.equal(parseTraceparent(value), undefined, JSON.stringify(value))
  }
})

test('accepts a later version with extra fields and forwards it as version 00', () => {
  const later = '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds'
  const context = parseTraceparent(later)
  assert.ok(context)
  assert.equal(formatTraceparent(context), valid)
  assert.equal(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x'), undefined)
})

test('generates valid, unsampled traceparents with fresh ids', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100 }), () => {
      const generated = generateTraceparent()
      const context = parseTraceparent(generated)
      assert.ok(context, generated)
      assert.equal(context.flags, '00')
      assert.equal(formatTraceparent(context), generated)
    }),
  )
  assert.notEqual(generateTraceparent(), generateTraceparent())
})

test('redraws ids that come out all zeros', () => {
  let calls = 0
  const random = (size: number) => (calls++ === 0 ? Buffer.alloc(size) : Buffer.alloc(size, 1))
  const context = parseTraceparent(generateTraceparent(random))
  assert.ok(context)
  assert.equal(context.traceId, '01'.repeat(16))
})

test('round-trips any valid trace context through format and parse', () => {
  const hex = (length: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length })
  fc.assert(
    fc.property(hex(32), hex(16), hex(2), (traceId, parentId, flags) => {
      fc.pre(/[1-9a-f]/.test(traceId) && /[1-9a-f]/.test(parentId))
      assert.deepEqual(parseTraceparent(formatTraceparent({ traceId, parentId, flags })), {
        traceId,
        parentId,
        flags,
      })
    }),
  )
})
