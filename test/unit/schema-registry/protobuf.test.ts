import assert from 'node:assert/strict'
import { test } from 'node:test'
import protobuf from 'protobufjs'
import descriptor from 'protobufjs/ext/descriptor/index.js'
import { RegistryHttpError } from '#libs/schema-registry'
import { parseProtobuf } from '../../../libs/schema-registry/src/protobuf.ts'

const file = (body: string, pkg = 'shop') => `syntax = "proto3";\npackage ${pkg};\n${body}\n`
const problems = (writer: string, reader: string) =>
  parseProtobuf(reader, []).readErrors(parseProtobuf(writer, []))

test('text that is not Protobuf, unresolved types and imports without a reference are 42201', () => {
  for (const text of [
    'message {',
    file('message A { Missing m = 1; }'),
    file('import "other.proto";\nmessage A {}'),
  ]) {
    assert.throws(
      () => parseProtobuf(text, []),
      (error) => error instanceof RegistryHttpError && error.errorCode === 42201,
    )
  }
})

test('imports resolve through references and well-known types', () => {
  const money = file('message Money { int64 units = 1; }')
  const order = file(
    'import "money.proto";\nimport "google/protobuf/timestamp.proto";\nmessage Order { Money total = 1; google.protobuf.Timestamp at = 2; }',
  )
  const parsed = parseProtobuf(order, [
    { name: 'money.proto', schemaType: 'PROTOBUF', schema: money, references: [] },
  ])
  assert.deepEqual(parsed.messages, ['shop.Order'])
})

test('a base64 FileDescriptorProto (what Confluent serializers send) parses and compares with text', () => {
  const text = file('message Order { string id = 1; int64 amount = 2; }')
  const set = (
    protobuf.parse(text, { keepCase: true }).root as unknown as {
      toDescriptor(s: string): { file: unknown[] }
    }
  ).toDescriptor('proto3')
  const bytes = descriptor.FileDescriptorProto.encode(set.file[0] as protobuf.Message).finish()
  const parsed = parseProtobuf(Buffer.from(bytes).toString('base64'), [])
  assert.deepEqual(parsed.messages, ['shop.Order'])
  assert.deepEqual(parsed.readErrors(parseProtobuf(text, [])), [])
})

test('field numbers, wire groups and oneofs decide compatibility', () => {
  assert.deepEqual(
    problems(file('message A { int32 n = 1; }'), file('message A { int64 renamed = 1; string s = 2; }')),
    [],
  )
  assert.match(
    problems(file('message A { int32 n = 1; }'), file('message A { string n = 1; }')).join(),
    /FIELD_SCALAR_KIND_CHANGED/,
  )
  assert.match(problems(file('message A {}\nmessage B {}'), file('message A {}')).join(), /MESSAGE_REMOVED/)
  assert.match(
    problems(
      file('message A { string a = 1; string b = 2; }'),
      file('message A { oneof x { string a = 1; string b = 2; } }'),
    ).join(),
    /MULTIPLE_FIELDS_MOVED_TO_ONEOF/,
  )
  assert.match(
    problems(
      file('message A { oneof x { string a = 1; string b = 2; } }'),
      file('message A { oneof x { string a = 1; } }'),
    ).join(),
    /ONEOF_FIELD_REMOVED/,
  )
  assert.match(problems(file('message A {}'), file('message A {}', 'other')).join(), /PACKAGE_CHANGED/)
})

test('recursive messages compare without looping', () => {
  const tree = file('message Node { string v = 1; repeated Node children = 2; }')
  assert.deepEqual(problems(tree, tree), [])
})
