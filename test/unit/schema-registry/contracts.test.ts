import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeRecord, encodeValue, type StoreRecord } from '#libs/schema-registry'
import {
  effectiveContract,
  mergeMetadata,
  mergeRuleSets,
  parseRuleSet,
} from '../../../libs/schema-registry/src/contracts.ts'

const rule = (name: string, expr = 'true') => ({ name, kind: 'CONDITION', mode: 'WRITE', type: 'CEL', expr })

test('merged metadata takes the newer properties and tag paths and the union of sensitive names', () => {
  assert.deepEqual(
    mergeMetadata(
      { properties: { a: '1', b: '1' }, tags: { x: ['PII'] }, sensitive: ['s1'] },
      { properties: { b: '2', c: '2' }, sensitive: ['s0'] },
    ),
    { tags: { x: ['PII'] }, properties: { a: '1', b: '2', c: '2' }, sensitive: ['s0', 's1'] },
  )
})

test('a newer rule replaces an older one of the same name and goes last', () => {
  const merged = mergeRuleSets(
    parseRuleSet({ domainRules: [rule('a'), rule('b')] }),
    parseRuleSet({ domainRules: [rule('a', 'false')] }),
  )
  assert.deepEqual(
    merged?.domainRules?.map((r) => [r.name, r.expr]),
    [
      ['b', 'true'],
      ['a', 'false'],
    ],
  )
})

test('a registration without metadata inherits the previous version, between config defaults and overrides', () => {
  const contract = effectiveContract(
    {
      defaultMetadata: { properties: { owner: 'd', tier: 'd' } },
      overrideMetadata: { properties: { tier: 'o' } },
    },
    {},
    { metadata: { properties: { owner: 'previous' } } },
  )
  assert.deepEqual(contract.metadata, { properties: { owner: 'previous', tier: 'o' } })
})

test('schema values store metadata and rule sets after the references, and read them back', () => {
  const ruleSet = parseRuleSet({ domainRules: [rule('a')] })!
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
      metadata: { properties: { owner: 'x' } },
      ruleSet,
    },
  }
  const encoded = encodeValue(record)!
  assert.match(
    encoded,
    /"deleted":false,"metadata":\{"properties":\{"owner":"x"\}\},"ruleSet":\{"domainRules":/,
  )
  const decoded = decodeRecord('{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}', encoded)
  assert.deepEqual(decoded?.value, record.value)
})
