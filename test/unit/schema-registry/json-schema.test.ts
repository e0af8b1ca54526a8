import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegistryHttpError } from '#libs/schema-registry'
import { parseJsonSchema } from '../../../libs/schema-registry/src/json-schema.ts'

const parse = (schema: unknown, references: { name: string; schema: unknown }[] = []) =>
  parseJsonSchema(
    JSON.stringify(schema),
    references.map((r) => ({
      name: r.name,
      schemaType: 'JSON',
      schema: JSON.stringify(r.schema),
      references: [],
    })),
    false,
  )
/** Problems when `reader` reads what `writer` accepted. */
const problems = (writer: unknown, reader: unknown) => parse(reader).readErrors(parse(writer))

test('schemas the meta-schema rejects and unresolved references are 42201', () => {
  for (const schema of [
    { type: 'objekt' },
    { required: 'a' },
    { properties: { a: { $ref: 'nope.json' } } },
    5,
  ]) {
    assert.throws(
      () => parse(schema),
      (error) => error instanceof RegistryHttpError && error.errorCode === 42201,
    )
  }
})

test('a reference resolves by its name', () => {
  const address = { type: 'object', properties: { city: { type: 'string' } } }
  const parsed = parse({ type: 'object', properties: { home: { $ref: 'address.json' } } }, [
    { name: 'address.json', schema: address },
  ])
  assert.equal(parsed.schemaType, 'JSON')
})

test('normalisation sorts keys, so key order makes no other schema', () => {
  const a = parseJsonSchema(
    '{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer"}}}',
    [],
    true,
  )
  const b = parseJsonSchema(
    '{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}',
    [],
    true,
  )
  assert.equal(a.canonical, b.canonical)
})

test('open and closed content models decide whether adding and removing properties is compatible', () => {
  const open = (props: Record<string, unknown>) => ({ type: 'object', properties: props })
  const closed = (props: Record<string, unknown>) => ({ ...open(props), additionalProperties: false })
  const s = { type: 'string' }
  assert.match(problems(open({ a: s }), open({ a: s, b: s })).join(), /PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL/)
  assert.deepEqual(problems(closed({ a: s }), closed({ a: s, b: s })), [])
  assert.deepEqual(problems(open({ a: s, b: s }), open({ a: s })), [])
  assert.match(
    problems(closed({ a: s, b: s }), closed({ a: s })).join(),
    /PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL/,
  )
  assert.deepEqual(problems(open({ a: s }), open({ a: s, b: {} })), [])
})

test('types may widen but not narrow; limits may relax but not tighten', () => {
  assert.deepEqual(problems({ type: 'integer' }, { type: 'number' }), [])
  assert.match(problems({ type: ['string', 'null'] }, { type: 'string' }).join(), /TYPE_NARROWED/)
  assert.match(problems({ type: 'string' }, { type: 'string', maxLength: 3 }).join(), /MAX_LENGTH_ADDED/)
  assert.deepEqual(problems({ type: 'string', maxLength: 3 }, { type: 'string', maxLength: 9 }), [])
  assert.match(problems({ enum: ['a', 'b'] }, { enum: ['a'] }).join(), /ENUM_ARRAY_NARROWED/)
})

test('recursive schemas compare without looping', () => {
  const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } }
  assert.deepEqual(problems(tree, tree), [])
  const loop = { oneOf: [{ $ref: '#' }, { $ref: '#' }, { type: 'string' }] }
  assert.deepEqual(problems(loop, loop), [])
})
