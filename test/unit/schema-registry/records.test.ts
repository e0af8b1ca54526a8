import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeRecord, encodeKey, encodeValue, type StoreRecord } from '#libs/schema-registry'

test('keys are compact JSON in the Confluent/Karapace key order', () => {
  assert.equal(
    encodeKey({ keytype: 'SCHEMA', subject: 's', version: 3 }),
    '{"keytype":"SCHEMA","subject":"s","version":3,"magic":1}',
  )
  assert.equal(
    encodeKey({ keytype: 'CONFIG', subject: null }),
    '{"keytype":"CONFIG","subject":null,"magic":0}',
  )
  assert.equal(encodeKey({ keytype: 'MODE', subject: 'm' }), '{"keytype":"MODE","subject":"m","magic":0}')
  assert.equal(
    encodeKey({ keytype: 'DELETE_SUBJECT', subject: 'd' }),
    '{"keytype":"DELETE_SUBJECT","subject":"d","magic":0}',
  )
  assert.equal(encodeKey({ keytype: 'NOOP' }), '{"keytype":"NOOP","magic":0}')
})

test('schema values omit schemaType for Avro and references when there are none', () => {
  const record: StoreRecord = {
    key: { keytype: 'SCHEMA', subject: 's', version: 1 },
    value: {
      subject: 's',
      version: 1,
      id: 7,
      schema: '"int"',
      deleted: false,
      schemaType: 'AVRO',
      references: [],
    },
  }
  assert.equal(encodeValue(record), '{"subject":"s","version":1,"id":7,"schema":"\\"int\\"","deleted":false}')
})

test('schema values keep references in name, subject, version order', () => {
  const record: StoreRecord = {
    key: { keytype: 'SCHEMA', subject: 's', version: 1 },
    value: {
      subject: 's',
      version: 1,
      id: 7,
      schema: '"x.A"',
      deleted: true,
      references: [{ version: 2, subject: 'a', name: 'x.A' } as never],
    },
  }
  assert.equal(
    encodeValue(record),
    '{"subject":"s","version":1,"id":7,"schema":"\\"x.A\\"","deleted":true,"references":[{"name":"x.A","subject":"a","version":2}]}',
  )
})

test('a null value is a tombstone and decodes back to one', () => {
  const key = encodeKey({ keytype: 'SCHEMA', subject: 's', version: 1 })
  assert.equal(encodeValue({ key: { keytype: 'SCHEMA', subject: 's', version: 1 }, value: null }), null)
  assert.deepEqual(decodeRecord(key, null), {
    key: { keytype: 'SCHEMA', subject: 's', version: 1 },
    value: null,
  })
})

test('records written by Karapace or CSR decode, unknown or malformed ones are skipped', () => {
  const config = decodeRecord(
    '{"keytype":"CONFIG","subject":null,"magic":0}',
    '{"compatibilityLevel":"FULL"}',
  )
  assert.deepEqual(config, {
    key: { keytype: 'CONFIG', subject: null },
    value: { compatibilityLevel: 'FULL' },
  })
  const schema = decodeRecord(
    '{"subject":"s","version":1,"magic":1,"keytype":"SCHEMA"}',
    '{"subject":"s","version":1,"id":1,"schema":"\\"int\\"","deleted":false}',
  )
  assert.equal(schema?.value && 'id' in schema.value ? schema.value.id : undefined, 1)
  assert.equal(decodeRecord('not json', '{}'), undefined)
  assert.equal(decodeRecord('{"keytype":"OFFSETS"}', '{}'), undefined)
  assert.equal(decodeRecord('{"keytype":"SCHEMA","subject":"s","version":1}', '{"schema":1}'), undefined)
})
