import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DlqSelectionError } from '@event-backbone/errors'
import { parsePredicate, validateSelection } from '#libs/dlq'
import {
  matchesDecoded,
  matchesRaw,
  rangesFor,
  requireDecoderFor,
} from '../../../libs/dlq/src/select/selection.ts'

const record = (overrides: Partial<Parameters<typeof matchesRaw>[1]> = {}) => ({
  topic: 't.dlt',
  partition: 0,
  offset: '5',
  timestamp: '1000',
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: {
    'eb.error.class': Buffer.from('LedgerError'),
    'eb.error.message': Buffer.from('Account Closed'),
  },
  ...overrides,
})

test('predicates are parsed from the CLI form into path, operator and typed value', () => {
  assert.deepEqual(parsePredicate('amount>100'), { path: 'amount', op: 'gt', value: 100 })
  assert.deepEqual(parsePredicate('payer.country==DE'), { path: 'payer.country', op: 'eq', value: 'DE' })
  assert.deepEqual(parsePredicate('note~late'), { path: 'note', op: 'contains', value: 'late' })
  assert.deepEqual(parsePredicate('couponCode?'), { path: 'couponCode', op: 'exists' })
  assert.throws(() => parsePredicate('no operator'), DlqSelectionError)
})

test('an invalid selection is refused with the field that is wrong', () => {
  assert.throws(() => validateSelection({ partitions: [-1] }), /selection.partitions/)
  assert.throws(() => validateSelection({ offsets: [{ partition: 0, from: 'x' }] }), /offsets\[0\].from/)
  assert.throws(() => validateSelection({ where: [{ path: 'a', op: 'like', value: 1 }] }), /where\[0\].op/)
  assert.throws(() => validateSelection({ typo: 1 }), /selection.typo is not a selection field/)
})

test('header conditions match on error class, message case-insensitively, key, time and offsets', () => {
  assert.equal(matchesRaw({ errorClass: ['LedgerError'] }, record()), true)
  assert.equal(matchesRaw({ errorClass: ['TypeError'] }, record()), false)
  assert.equal(matchesRaw({ errorMessage: 'account closed' }, record()), true)
  assert.equal(matchesRaw({ key: 'k' }, record()), true)
  assert.equal(matchesRaw({ key: 'k' }, record({ key: null })), false)
  assert.equal(matchesRaw({ since: 1000, until: 1001 }, record()), true)
  assert.equal(matchesRaw({ until: 1000 }, record()), false)
  assert.equal(matchesRaw({ offsets: [{ partition: 0, from: '5', to: '5' }] }, record()), true)
  assert.equal(matchesRaw({ offsets: [{ partition: 1 }] }, record()), false)
})

test('decoded predicates compare numbers as numbers and fail on undecodable values', () => {
  const decoded = { ok: true, value: { amount: 150, payer: { country: 'DE' } } }
  assert.equal(matchesDecoded({ where: [{ path: 'amount', op: 'gt', value: 100 }] }, decoded), true)
  assert.equal(matchesDecoded({ where: [{ path: 'amount', op: 'lt', value: 20 }] }, decoded), false)
  assert.equal(matchesDecoded({ where: [{ path: 'payer.country', op: 'eq', value: 'DE' }] }, decoded), true)
  assert.equal(matchesDecoded({ where: [{ path: 'missing', op: 'exists' }] }, decoded), false)
  assert.equal(matchesDecoded({ where: [{ path: 'amount', op: 'exists' }] }, { ok: false }), false)
})

test('offset ranges are clipped to what the topic holds, with an exclusive end', () => {
  const bounds = [
    { partition: 0, low: '10', high: '20' },
    { partition: 1, low: '0', high: '5' },
  ]
  assert.deepEqual(rangesFor({}, bounds), [
    { partition: 0, from: '10', to: '20' },
    { partition: 1, from: '0', to: '5' },
  ])
  assert.deepEqual(rangesFor({ offsets: [{ partition: 0, from: '5', to: '12' }] }, bounds), [
    { partition: 0, from: '10', to: '13' },
  ])
  assert.deepEqual(rangesFor({ partitions: [1] }, bounds), [{ partition: 1, from: '0', to: '5' }])
})

test('field predicates without a registry are refused rather than matching nothing', () => {
  assert.throws(
    () => requireDecoderFor({ where: [{ path: 'amount', op: 'gt', value: 1 }] }, undefined),
    /selection.where needs the schema registry/,
  )
  requireDecoderFor({ key: 'k' }, undefined)
})
