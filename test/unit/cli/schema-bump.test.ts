import assert from 'node:assert/strict'
import { test } from 'node:test'
import { schemaChanges, strongest } from '../../../libs/cli/src/schema-bump.ts'

const record = (fields: object[], doc = 'A payment.') =>
  JSON.stringify({ type: 'record', name: 'Payment', namespace: 'test', doc, fields })
const base = record([{ name: 'id', type: 'string' }])

test('a schema that cannot read the data already written is incompatible and needs a major version', () => {
  const after = record([
    { name: 'id', type: 'string' },
    { name: 'risk', type: 'int' },
  ])
  const [change] = schemaChanges({ Payment: base }, { Payment: after })
  assert.equal(change?.change, 'incompatible')
  assert.equal(change?.bump, 'major')
  assert.match(change?.messages[0] ?? '', /BACKWARD/)
})

test('a field added with a default is compatible, a minor version', () => {
  const after = record([
    { name: 'id', type: 'string' },
    { name: 'risk', type: ['null', 'int'], default: null },
  ])
  assert.deepEqual(
    schemaChanges({ Payment: base }, { Payment: after }).map((change) => [change.change, change.bump]),
    [['compatible', 'minor']],
  )
})

test('a change to documentation only is a patch', () => {
  const after = record([{ name: 'id', type: 'string' }], 'Another doc.')
  const [change] = schemaChanges({ Payment: base }, { Payment: after })
  assert.deepEqual([change?.change, change?.bump], ['documentation', 'patch'])
})

test('a new event type is minor, a removed one major, an unchanged one nothing', () => {
  const changes = schemaChanges({ Payment: base, Gone: base }, { Payment: base, Added: base })
  assert.deepEqual(
    changes.map((change) => [change.eventType, change.change, change.bump]),
    [
      ['Gone', 'removed', 'major'],
      ['Added', 'added', 'minor'],
      ['Payment', 'unchanged', 'none'],
    ],
  )
  assert.equal(strongest(...changes.map((change) => change.bump)), 'major')
})
