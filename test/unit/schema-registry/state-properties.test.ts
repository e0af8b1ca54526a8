import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { RegistryHttpError, RegistryState, type StoreRecord } from '#libs/schema-registry'
import { deleteSubject, deleteVersion, putConfig } from '../../../libs/schema-registry/src/commands.ts'
import { registerSchema } from '../../../libs/schema-registry/src/register.ts'

const subjects = ['a', 'b', 'c']
const schemas = ['A', 'B', 'C', 'D'].map((name) => JSON.stringify({ type: 'record', name, fields: [] }))

type Step =
  | { kind: 'register'; subject: string; schema: number }
  | { kind: 'deleteVersion'; subject: string; version: number; permanent: boolean }
  | { kind: 'deleteSubject'; subject: string; permanent: boolean }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('register' as const),
    subject: fc.constantFrom(...subjects),
    schema: fc.nat(schemas.length - 1),
  }),
  fc.record({
    kind: fc.constant('deleteVersion' as const),
    subject: fc.constantFrom(...subjects),
    version: fc.integer({ min: 1, max: 6 }),
    permanent: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('deleteSubject' as const),
    subject: fc.constantFrom(...subjects),
    permanent: fc.boolean(),
  }),
)

function outcomeOf(state: RegistryState, s: Step): { records: StoreRecord[] } | undefined {
  try {
    switch (s.kind) {
      case 'register':
        return registerSchema(state, s.subject, { schema: schemas[s.schema] }, { normalize: false })
      case 'deleteVersion':
        return deleteVersion(state, s.subject, String(s.version), s.permanent)
      case 'deleteSubject':
        return deleteSubject(state, s.subject, s.permanent)
    }
  } catch (error) {
    if (error instanceof RegistryHttpError && error.status < 500) return undefined
    throw error
  }
}

test('any sequence of registrations and deletes keeps one id per schema and one schema per id', () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const state = new RegistryState()
      for (const subject of subjects) {
        for (const record of putConfig(state, subject, { compatibility: 'NONE' }).records) state.apply(record)
      }
      const idOfSchema = new Map<string, number>()
      const schemaOfId = new Map<number, string>()
      for (const s of steps) {
        const maxBefore = state.maxId
        const outcome = outcomeOf(state, s)
        for (const record of outcome?.records ?? []) {
          if (record.key.keytype === 'SCHEMA' && record.value && 'id' in record.value) {
            const { id, schema, version, subject } = record.value
            const previous = state.version(subject, version)
            // A version number is never reused for another schema while its record exists.
            if (previous) assert.equal(previous.schema, schema)
            if (!idOfSchema.has(schema)) assert.ok(id > maxBefore || schemaOfId.get(id) === schema)
          }
          state.apply(record)
        }
        for (const subject of subjects) {
          for (const entry of state.versions(subject, true)) {
            assert.equal(idOfSchema.get(entry.schema) ?? entry.id, entry.id, 'one schema got two ids')
            assert.equal(schemaOfId.get(entry.id) ?? entry.schema, entry.schema, 'one id got two schemas')
            idOfSchema.set(entry.schema, entry.id)
            schemaOfId.set(entry.id, entry.schema)
          }
        }
      }
    }),
    { numRuns: 300 },
  )
})
