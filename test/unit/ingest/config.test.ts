import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hashApiKey, IngestEnv, ingestConfigFromEnv } from '#libs/ingest'

const base = {
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
  INGEST_API_KEYS: `a:${hashApiKey('a')}:SensorReading`,
}

test('defaults: loopback, port 8080, 1 MiB bodies, every catalog type', () => {
  const config = ingestConfigFromEnv(base)
  assert.equal(config.host, '127.0.0.1')
  assert.equal(config.port, 8080)
  assert.equal(config.bodyLimit, 1024 * 1024)
  assert.equal(config.maxBatchItems, 500)
  assert.ok(config.eventTypes.includes('PaymentConfirmed'))
})

test('each setting is read from its variable, and a bad one is named in the error', () => {
  const config = ingestConfigFromEnv({
    ...base,
    SERVICE_HOST: '0.0.0.0',
    SERVICE_PORT: '9000',
    INGEST_EVENT_TYPES: 'SensorReading, UserLogin',
    INGEST_BODY_LIMIT_BYTES: '65536',
    INGEST_PUBLISH_TIMEOUT_MS: '2000',
  })
  assert.deepEqual(
    [config.host, config.port, config.bodyLimit, config.publishTimeoutMs],
    ['0.0.0.0', 9000, 65536, 2000],
  )
  assert.deepEqual(config.eventTypes, ['SensorReading', 'UserLogin'])
  assert.throws(
    () => ingestConfigFromEnv({ ...base, SERVICE_PORT: 'http' }),
    /SERVICE_PORT needs to be a whole number/,
  )
  assert.throws(
    () => ingestConfigFromEnv({ ...base, INGEST_EVENT_TYPES: 'Nope' }),
    /INGEST_EVENT_TYPES names "Nope"/,
  )
  assert.throws(
    () => ingestConfigFromEnv({ ...base, SCHEMA_REGISTRY_URL: '' }),
    /SCHEMA_REGISTRY_URL is not set/,
  )
  assert.throws(
    () => ingestConfigFromEnv({ ...base, INGEST_EVENT_TYPES: 'UserLogin' }),
    /names "SensorReading", not an event type/,
    'a key may only name types the gateway serves',
  )
})

test('every gateway variable is in the configuration table of docs/ingest-gateway.md', async () => {
  const { readFileSync } = await import('node:fs')
  const doc = readFileSync(new URL('../../../docs/ingest-gateway.md', import.meta.url), 'utf8')
  const documented = new Set([...doc.matchAll(/^\|\s*`([A-Z_]+)`/gm)].map((match) => match[1]))
  for (const variable of [
    ...Object.values(IngestEnv),
    'SCHEMA_REGISTRY_URL',
    'SERVICE_HOST',
    'SERVICE_PORT',
  ]) {
    assert.ok(documented.has(variable), `${variable} is documented`)
  }
})

test('rate limits: defaults per key and per failing address, a rate or off from the environment', () => {
  const defaults = ingestConfigFromEnv(base)
  assert.deepEqual(defaults.rateLimit, { perSecond: 1000, burst: 2000 })
  assert.deepEqual(defaults.authFailureLimit, { perSecond: 5, burst: 20 })
  const set = ingestConfigFromEnv({ ...base, INGEST_RATE_LIMIT: '60/m', INGEST_AUTH_FAILURE_LIMIT: 'off' })
  assert.deepEqual(set.rateLimit, { perSecond: 1, burst: 60 })
  assert.equal(set.authFailureLimit, undefined)
  assert.throws(
    () => ingestConfigFromEnv({ ...base, INGEST_RATE_LIMIT: 'lots' }),
    /INGEST_RATE_LIMIT needs a rate/,
  )
})
