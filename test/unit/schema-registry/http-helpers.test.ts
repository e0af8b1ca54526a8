import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegistryHttpError } from '#libs/schema-registry'
import { negotiate } from '../../../libs/schema-registry/src/http/content-types.ts'
import { parseVersion } from '../../../libs/schema-registry/src/versions.ts'

test('the vendor type is the default response type', () => {
  assert.equal(negotiate(undefined), 'application/vnd.schemaregistry.v1+json')
  assert.equal(negotiate('*/*'), 'application/vnd.schemaregistry.v1+json')
  assert.equal(negotiate('application/json, text/plain, */*'), 'application/json')
  assert.equal(
    negotiate(
      'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json',
    ),
    'application/vnd.schemaregistry.v1+json',
  )
})

test('Accept quality values are honoured and unacceptable lists give no type', () => {
  assert.equal(
    negotiate('application/json;q=0.5, application/vnd.schemaregistry+json'),
    'application/vnd.schemaregistry+json',
  )
  assert.equal(negotiate('text/html'), undefined)
  assert.equal(negotiate('application/json;q=0'), undefined)
})

test('versions are 1..2^31-1, latest or -1; anything else is 42202', () => {
  assert.equal(parseVersion('1'), 1)
  assert.equal(parseVersion('2147483647'), 2147483647)
  assert.equal(parseVersion('latest'), 'latest')
  assert.equal(parseVersion('-1'), 'latest')
  for (const bad of ['0', '-2', '2147483648', 'abc', '1.5', '']) {
    assert.throws(
      () => parseVersion(bad),
      (error) => error instanceof RegistryHttpError && error.errorCode === 42202,
    )
  }
})
