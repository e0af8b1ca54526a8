// Proves each of the seven compatibility levels accepts and refuses JSON Schema and Protobuf evolutions as Confluent's rules do: open and closed content models, field numbers, scalar groups and oneofs, transitive levels included.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { uniqueName } from '../../helpers/kafka.ts'
import { call } from '../../helpers/registry.ts'
import { registryForFile } from '../../helpers/registry-file.ts'

const registry = registryForFile()

const ALL = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const
type Level = (typeof ALL)[number]
const BACKWARD_ONLY: Level[] = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE']
const FORWARD_ONLY: Level[] = ['NONE', 'FORWARD', 'FORWARD_TRANSITIVE']

interface Case {
  readonly name: string
  readonly schemaType: 'JSON' | 'PROTOBUF'
  /** Older versions first. */
  readonly history: string[]
  readonly candidate: string
  readonly accepted: readonly Level[]
}

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'object', properties, ...extra })
const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  object(properties, { additionalProperties: false, ...extra })
const str = { type: 'string' }
const int = { type: 'integer' }

const proto = (body: string, pkg = 'shop') => `syntax = "proto3";\npackage ${pkg};\n${body}\n`

const cases: Case[] = [
  {
    name: 'JSON: adding an optional property to a closed content model',
    schemaType: 'JSON',
    history: [closed({ id: str })],
    candidate: closed({ id: str, note: str }),
    accepted: BACKWARD_ONLY,
  },
  {
    name: 'JSON: adding a property to an open content model',
    schemaType: 'JSON',
    history: [object({ id: str })],
    candidate: object({ id: str, note: str }),
    accepted: FORWARD_ONLY,
  },
  {
    name: 'JSON: removing a property from an open content model',
    schemaType: 'JSON',
    history: [object({ id: str, note: str })],
    candidate: object({ id: str }),
    accepted: BACKWARD_ONLY,
  },
  {
    name: 'JSON: removing a property from a closed content model',
    schemaType: 'JSON',
    history: [closed({ id: str, note: str })],
    candidate: closed({ id: str }),
    accepted: FORWARD_ONLY,
  },
  {
    name: 'JSON: adding a required property without a default to a closed content model',
    schemaType: 'JSON',
    history: [closed({ id: str })],
    candidate: closed({ id: str, note: str }, { required: ['note'] }),
    accepted: ['NONE'],
  },
  {
    name: 'JSON: widening integer to number',
    schemaType: 'JSON',
    history: [closed({ n: int })],
    candidate: closed({ n: { type: 'number' } }),
    accepted: BACKWARD_ONLY,
  },
  {
    name: 'JSON: changing a string to an integer',
    schemaType: 'JSON',
    history: [closed({ n: str })],
    candidate: closed({ n: int }),
    accepted: ['NONE'],
  },
  {
    name: 'JSON: a property covered by a partially open content model',
    schemaType: 'JSON',
    history: [closed({ id: str }, { additionalProperties: str })],
    candidate: closed({ id: str, note: str }, { additionalProperties: str }),
    accepted: ALL,
  },
  {
    name: 'JSON: a change the latest version allows but the first does not (transitive)',
    schemaType: 'JSON',
    history: [closed({ id: str }), closed({ id: str, note: str })],
    candidate: closed({ id: str, note: str, more: str }),
    accepted: ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE'],
  },
  {
    name: 'Protobuf: adding and removing fields',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { string id = 1; int64 amount = 2; }')],
    candidate: proto('message Order { string id = 1; string note = 3; }'),
    accepted: ALL,
  },
  {
    name: 'Protobuf: renaming a field that keeps its number',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { string id = 1; }')],
    candidate: proto('message Order { string order_id = 1; }'),
    accepted: ALL,
  },
  {
    name: 'Protobuf: int32 to int64 (one wire group)',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { int32 n = 1; }')],
    candidate: proto('message Order { int64 n = 1; }'),
    accepted: ALL,
  },
  {
    name: 'Protobuf: int32 to string (another wire group)',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { int32 n = 1; }')],
    candidate: proto('message Order { string n = 1; }'),
    accepted: ['NONE'],
  },
  {
    name: 'Protobuf: a scalar field becoming a message',
    schemaType: 'PROTOBUF',
    history: [proto('message Money { int64 units = 1; }\nmessage Order { int64 amount = 1; }')],
    candidate: proto('message Money { int64 units = 1; }\nmessage Order { Money amount = 1; }'),
    accepted: ['NONE'],
  },
  {
    name: 'Protobuf: removing a message',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { string id = 1; }\nmessage Refund { string id = 1; }')],
    candidate: proto('message Order { string id = 1; }'),
    accepted: FORWARD_ONLY,
  },
  {
    name: 'Protobuf: changing the package',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { string id = 1; }')],
    candidate: proto('message Order { string id = 1; }', 'store'),
    accepted: ['NONE'],
  },
  {
    name: 'Protobuf: moving two existing fields into a new oneof',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { string card = 1; string iban = 2; }')],
    candidate: proto('message Order { oneof payment { string card = 1; string iban = 2; } }'),
    accepted: FORWARD_ONLY,
  },
  {
    name: 'Protobuf: adding a field to a oneof',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { oneof payment { string card = 1; } }')],
    candidate: proto('message Order { oneof payment { string card = 1; string iban = 2; } }'),
    accepted: BACKWARD_ONLY,
  },
  {
    // One field in and out of a oneof of its own: no two fields become mutually exclusive.
    name: 'Protobuf: moving a lone field out of its oneof',
    schemaType: 'PROTOBUF',
    history: [proto('message Order { oneof payment { string card = 1; } }')],
    candidate: proto('message Order { string card = 1; }'),
    accepted: ALL,
  },
]

async function put(path: string, body: unknown): Promise<void> {
  const response = await call(registry(), 'PUT', path, body)
  assert.equal(response.status, 200, JSON.stringify(response.body))
}

for (const testCase of cases) {
  test(`compatibility of ${testCase.name} follows each level's direction`, async () => {
    const subject = uniqueName('matrix-jp')
    await put(`/config/${subject}`, { compatibility: 'NONE' })
    for (const schema of testCase.history) {
      const response = await call(registry(), 'POST', `/subjects/${subject}/versions`, {
        schemaType: testCase.schemaType,
        schema,
      })
      assert.equal(response.status, 200, JSON.stringify(response.body))
    }
    const candidate = { schemaType: testCase.schemaType, schema: testCase.candidate }
    const verdicts: Partial<Record<Level, boolean>> = {}
    for (const level of ALL) {
      await put(`/config/${subject}`, { compatibility: level })
      const response = await call(
        registry(),
        'POST',
        `/compatibility/subjects/${subject}/versions/latest?verbose=true`,
        candidate,
      )
      verdicts[level] = (response.body as { is_compatible: boolean }).is_compatible
    }
    const expected = Object.fromEntries(ALL.map((level) => [level, testCase.accepted.includes(level)]))
    assert.deepEqual(verdicts, expected)
  })
}
