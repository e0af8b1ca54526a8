import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ownerFromName } from '../../../libs/dlq/src/discovery/list.ts'

test('an empty dead-letter topic is attributed by its name when exactly one split names an existing topic', () => {
  assert.deepEqual(ownerFromName('upload-processor.uploads.dlt', ['uploads', 'payments']), {
    group: 'upload-processor',
    sourceTopic: 'uploads',
  })
  assert.deepEqual(ownerFromName('team.a.orders.v2.dlt', ['orders.v2']), {
    group: 'team.a',
    sourceTopic: 'orders.v2',
  })
})

test('no attribution when no split, or more than one, names an existing topic', () => {
  assert.equal(ownerFromName('upload-processor.uploads.dlt', ['payments']), undefined)
  assert.equal(ownerFromName('a.b.c.dlt', ['b.c', 'c']), undefined)
})
