// Proves each compatibility level accepts and refuses the classic schema evolutions in the right direction, transitive levels included.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { uniqueName } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import { avroNamespace, recordSchema, registryForFile } from '../../helpers/registry-file.ts'

const registry = registryForFile()

type Level =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'

interface Case {
  readonly name: string
  /** Older versions first; fields of the record `E`. */
  readonly history: unknown[][]
  readonly candidate: unknown[]
  /** The levels that accept the candidate; every other level refuses it. */
  readonly accepted: readonly Level[]
}

const ALL: readonly Level[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
]
const id = { name: 'id', type: 'string' }

const cases: Case[] = [
  {
    name: 'adding a field with a default',
    history: [[id]],
    candidate: [id, { name: 'note', type: 'string', default: '' }],
    accepted: ALL,
  },
  {
    name: 'adding a field without a default',
    history: [[id]],
    candidate: [id, { name: 'note', type: 'string' }],
    accepted: ['NONE', 'FORWARD', 'FORWARD_TRANSITIVE'],
  },
  {
    name: 'removing a field that had a default',
    history: [[id, { name: 'note', type: 'string', default: '' }]],
    candidate: [id],
    accepted: ALL,
  },
  {
    name: 'removing a field without a default',
    history: [[id, { name: 'note', type: 'string' }]],
    candidate: [id],
    accepted: ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE'],
  },
  {
    name: 'widening int to long',
    history: [[{ name: 'n', type: 'int' }]],
    candidate: [{ name: 'n', type: 'long' }],
    accepted: ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE'],
  },
  {
    name: 'changing int to string',
    history: [[{ name: 'n', type: 'int' }]],
    candidate: [{ name: 'n', type: 'string' }],
    accepted: ['NONE'],
  },
  {
    name: 'renaming a field with an alias to the old name',
    history: [[{ name: 'old', type: 'string' }]],
    candidate: [{ name: 'renamed', type: 'string', aliases: ['old'] }],
    accepted: ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE'],
  },
  {
    name: 'renaming a field without an alias',
    history: [[{ name: 'old', type: 'string' }]],
    candidate: [{ name: 'renamed', type: 'string' }],
    accepted: ['NONE'],
  },
  {
    name: 'a change that reads the latest version but not the first (backward)',
    history: [[{ name: 'a', type: 'int' }], []],
    candidate: [{ name: 'a', type: 'string', default: '' }],
    // FORWARD_TRANSITIVE refuses too: version 1 cannot read a string `a`.
    accepted: ['NONE', 'BACKWARD', 'FORWARD', 'FULL'],
  },
  {
    name: 'a change the latest version reads but the first does not (forward)',
    history: [[{ name: 'a', type: 'string' }], [{ name: 'a', type: 'string', default: 'x' }]],
    candidate: [],
    accepted: ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FULL'],
  },
]

async function put(path: string, body: unknown): Promise<void> {
  const response = await call(registry(), 'PUT', path, body)
  assert.equal(response.status, 200, JSON.stringify(response.body))
}

for (const testCase of cases) {
  test(`compatibility of ${testCase.name} follows each level's direction`, async () => {
    const subject = uniqueName('matrix')
    const ns = avroNamespace()
    await put(`/config/${subject}`, { compatibility: 'NONE' })
    for (const fields of testCase.history) {
      const response = await call(registry(), 'POST', `/subjects/${subject}/versions`, {
        schema: recordSchema('E', fields, ns),
      })
      assert.equal(response.status, 200, JSON.stringify(response.body))
    }
    const candidate = { schema: recordSchema('E', testCase.candidate, ns) }
    const verdicts: Partial<Record<Level, boolean>> = {}
    for (const level of ALL) {
      await put(`/config/${subject}`, { compatibility: level })
      const response = await call(
        registry(),
        'POST',
        `/compatibility/subjects/${subject}/versions/latest`,
        candidate,
      )
      verdicts[level] = (response.body as { is_compatible: boolean }).is_compatible
    }
    const expected = Object.fromEntries(ALL.map((level) => [level, testCase.accepted.includes(level)]))
    assert.deepEqual(verdicts, expected)
  })
}

test('registration under a refusing level answers 409 and under an accepting level a new version', async () => {
  const subject = uniqueName('matrix-register')
  const ns = avroNamespace()
  await put(`/config/${subject}`, { compatibility: 'FORWARD' })
  await call(registry(), 'POST', `/subjects/${subject}/versions`, { schema: recordSchema('E', [id], ns) })
  const widened = { schema: recordSchema('E', [id, { name: 'n', type: 'string' }], ns) }
  assert.equal((await call(registry(), 'POST', `/subjects/${subject}/versions`, widened)).status, 200)
  const incompatible = { schema: recordSchema('E', [{ name: 'id', type: 'int' }], ns) }
  const refused = await call(registry(), 'POST', `/subjects/${subject}/versions`, incompatible)
  assert.equal(refused.status, 409)
  assert.equal((refused.body as { error_code: number }).error_code, 409)
  assert.deepEqual((await call(registry(), 'GET', `/subjects/${subject}/versions`)).body, [1, 2])
})
