import assert from 'node:assert/strict'
import { test } from 'node:test'
import { renderEventTypes } from '../../../scripts/codegen/avro-to-typescript.ts'
import { eventTypesGenerator } from '../../../scripts/generate-types.ts'

test('the checked-in generated event types match what the schemas generate', async () => {
  assert.deepEqual(await eventTypesGenerator.check(), [])
})

test('the generator maps unions with null, arrays, maps, enums and logical types', () => {
  const source = renderEventTypes(
    [
      {
        eventType: 'Thing',
        file: 'thing.avsc',
        schema: {
          type: 'record',
          name: 'Thing',
          namespace: 'x.y',
          doc: 'A thing.',
          fields: [
            { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
            { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
            { name: 'note', type: ['null', 'string'], default: null, doc: 'A note.' },
            { name: 'colour', type: { type: 'enum', name: 'Colour', symbols: ['RED', 'BLUE'] } },
            { name: 'favourite', type: 'Colour' },
            { name: 'scores', type: { type: 'array', items: 'double' } },
            { name: 'labels', type: { type: 'map', values: ['null', 'long'] } },
          ],
        },
      },
    ],
    '// header\n',
  )
  assert.match(source, /\/\*\* A thing\. \*\/\nexport interface Thing \{/)
  assert.match(source, / {2}at: Date\n/)
  assert.match(source, / {2}id: string\n/)
  assert.match(
    source,
    / {2}\/\*\*\n {3}\* A note\.\n {3}\* @default null\n {3}\*\/\n {2}note: string \| null\n/,
  )
  assert.match(source, /export const Colour = \{\n {2}RED: 'RED',\n {2}BLUE: 'BLUE',\n\} as const\n/)
  assert.match(source, / {2}favourite: Colour\n/)
  assert.match(source, / {2}scores: Array<number>\n/)
  assert.match(source, / {2}labels: Record<string, number \| null>\n/)
  assert.match(source, /export interface EventTypeMap \{\n {2}Thing: Thing\n\}/)
})

test('the generator refuses two schemas that define the same type name differently', () => {
  const schema = (namespace: string) => ({ type: 'record', name: 'Same', namespace, fields: [] })
  assert.throws(
    () =>
      renderEventTypes(
        [
          { eventType: 'A', file: 'a.avsc', schema: schema('one') },
          { eventType: 'B', file: 'b.avsc', schema: schema('two') },
        ],
        '',
      ),
    /both become the TypeScript type Same/,
  )
})
