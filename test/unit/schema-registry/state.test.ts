import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegistryHttpError, RegistryState, type StoreRecord } from '#libs/schema-registry'
import { deleteSubject, deleteVersion, putConfig } from '../../../libs/schema-registry/src/commands.ts'
import { registerSchema } from '../../../libs/schema-registry/src/register.ts'

function applyAll(state: RegistryState, records: readonly StoreRecord[]): void {
  for (const record of records) state.apply(record)
}

/** Runs a command and applies its records, as the store does after the reader consumed them. */
function run<T>(state: RegistryState, outcome: { records: StoreRecord[]; result: T }): T {
  applyAll(state, outcome.records)
  return outcome.result
}

const schema = (name: string, fields: unknown[] = []) => ({
  schema: JSON.stringify({ type: 'record', name, fields }),
})

/** The id and version of a register answer (the full record also has the schema and its GUID). */
const idVersion = (result: Record<string, unknown>) => ({ id: result['id'], version: result['version'] })

function expectCode(fn: () => unknown, code: number): void {
  assert.throws(fn, (error) => error instanceof RegistryHttpError && error.errorCode === code)
}

test('ids are max id + 1 and the same canonical schema keeps its id under every subject', () => {
  const state = new RegistryState()
  assert.deepEqual(idVersion(run(state, registerSchema(state, 'a', schema('A'), { normalize: false }))), {
    id: 1,
    version: 1,
  })
  assert.deepEqual(idVersion(run(state, registerSchema(state, 'b', schema('B'), { normalize: false }))), {
    id: 2,
    version: 1,
  })
  assert.deepEqual(idVersion(run(state, registerSchema(state, 'c', schema('A'), { normalize: false }))), {
    id: 1,
    version: 1,
  })
  const again = registerSchema(
    state,
    'a',
    { schema: ' { "type" : "record", "name": "A", "fields": [] } ' },
    { normalize: false },
  )
  assert.deepEqual(again.records, [])
  assert.deepEqual(idVersion(again.result), { id: 1, version: 1 })
})

test('replaying the same records leaves the state unchanged', () => {
  const state = new RegistryState()
  const outcome = registerSchema(state, 'a', schema('A'), { normalize: false })
  applyAll(state, outcome.records)
  applyAll(state, outcome.records)
  assert.deepEqual(
    state.versions('a', true).map((v) => v.version),
    [1],
  )
  assert.equal(state.maxId, 1)
})

test('soft-deleting every version hides the subject but keeps numbering and ids', () => {
  const state = new RegistryState()
  run(state, registerSchema(state, 'a', schema('A'), { normalize: false }))
  assert.deepEqual(run(state, deleteSubject(state, 'a', false)), [1])
  assert.deepEqual(state.subjectNames(false), [])
  assert.deepEqual(state.subjectNames(true), ['a'])
  expectCode(() => deleteSubject(state, 'a', false), 40404)
  assert.deepEqual(idVersion(run(state, registerSchema(state, 'a', schema('A'), { normalize: false }))), {
    id: 1,
    version: 2,
  })
})

test('permanent deletes need a soft delete first and then remove the versions', () => {
  const state = new RegistryState()
  run(state, registerSchema(state, 'a', schema('A'), { normalize: false }))
  expectCode(() => deleteVersion(state, 'a', '1', true), 40407)
  expectCode(() => deleteSubject(state, 'a', true), 40405)
  run(state, deleteVersion(state, 'a', '1', false))
  expectCode(() => deleteVersion(state, 'a', '1', false), 40406)
  assert.deepEqual(run(state, deleteSubject(state, 'a', true)), [1])
  expectCode(() => deleteSubject(state, 'a', false), 40401)
  assert.equal(state.schemaById(1), undefined)
})

test('a permanent subject delete also drops its config and mode', () => {
  const state = new RegistryState()
  run(state, putConfig(state, 'a', { compatibility: 'NONE' }))
  state.apply({ key: { keytype: 'MODE', subject: 'a' }, value: { mode: 'IMPORT' } })
  state.apply({ key: { keytype: 'MODE', subject: 'a' }, value: { mode: 'READWRITE' } })
  run(state, registerSchema(state, 'a', schema('A'), { normalize: false }))
  run(state, deleteSubject(state, 'a', false))
  run(state, deleteSubject(state, 'a', true))
  assert.equal(state.config('a'), undefined)
  assert.equal(state.mode('a'), undefined)
})

test("Karapace's DELETE_SUBJECT record soft-deletes every version up to its version", () => {
  const state = new RegistryState()
  run(state, putConfig(state, 'a', { compatibility: 'NONE' }))
  run(state, registerSchema(state, 'a', schema('A'), { normalize: false }))
  run(state, registerSchema(state, 'a', schema('B'), { normalize: false }))
  state.apply({ key: { keytype: 'DELETE_SUBJECT', subject: 'a' }, value: { subject: 'a', version: 1 } })
  assert.deepEqual(
    state.versions('a', false).map((v) => v.version),
    [2],
  )
})

test('the effective compatibility is the subject level, then the global one, then BACKWARD', () => {
  const state = new RegistryState()
  assert.equal(state.compatibility('a'), 'BACKWARD')
  run(state, putConfig(state, null, { compatibility: 'full' }))
  assert.equal(state.compatibility('a'), 'FULL')
  run(state, putConfig(state, 'a', { compatibility: 'NONE' }))
  assert.equal(state.compatibility('a'), 'NONE')
  expectCode(() => putConfig(state, 'a', { compatibility: 'LOOSE' }), 42203)
})

test('an incompatible registration is refused with 409 and writes nothing', () => {
  const state = new RegistryState()
  run(state, registerSchema(state, 'a', schema('A', [{ name: 'n', type: 'int' }]), { normalize: false }))
  expectCode(
    () => registerSchema(state, 'a', schema('A', [{ name: 'n', type: 'string' }]), { normalize: false }),
    409,
  )
})

test('READONLY refuses registrations and deletes with 42205', () => {
  const state = new RegistryState()
  run(state, registerSchema(state, 'a', schema('A'), { normalize: false }))
  state.apply({ key: { keytype: 'MODE', subject: null }, value: { mode: 'READONLY' } })
  expectCode(() => registerSchema(state, 'a', schema('B'), { normalize: false }), 42205)
  expectCode(() => deleteSubject(state, 'a', false), 42205)
})

test('a version referenced by a live schema cannot be deleted (42206)', () => {
  const state = new RegistryState()
  run(
    state,
    registerSchema(
      state,
      'dep',
      { schema: JSON.stringify({ type: 'fixed', name: 'x.F', size: 2 }) },
      { normalize: false },
    ),
  )
  const referencing = {
    schema: JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'f', type: 'x.F' }] }),
    references: [{ name: 'x.F', subject: 'dep', version: 1 }],
  }
  assert.deepEqual(idVersion(run(state, registerSchema(state, 'r', referencing, { normalize: false }))), {
    id: 2,
    version: 1,
  })
  expectCode(() => deleteVersion(state, 'dep', '1', false), 42206)
  run(state, deleteSubject(state, 'r', false))
  assert.equal(run(state, deleteVersion(state, 'dep', '1', false)), 1)
})
