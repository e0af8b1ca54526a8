import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { serviceMetricNames } from '#libs/service'

const doc = readFileSync(new URL('../../../docs/services.md', import.meta.url), 'utf8')
const sources = ['upload-processor', 'payments-ledger', 'login-monitor', 'sensor-aggregator'].map((name) =>
  ['policy.ts', 'handler.ts'].map((file) =>
    readFileSync(new URL(`../../../services/${name}/${file}`, import.meta.url), 'utf8'),
  ),
)

test('every service metric is documented in docs/services.md', () => {
  for (const name of Object.values(serviceMetricNames)) assert.match(doc, new RegExp(`\\| \`${name}\``))
})

test('every environment variable a service reads is documented in docs/services.md', () => {
  const read = new Set(
    sources.flat().flatMap((text) => [...text.matchAll(/env\w*\(env, '([A-Z_]+)'/g)].map((m) => m[1])),
  )
  assert.ok(read.size >= 8)
  for (const name of read) assert.match(doc, new RegExp(`\\| \`${name}\``), `${name} is documented`)
  for (const name of [
    'KAFKA_BROKERS',
    'SCHEMA_REGISTRY_URL',
    'SERVICE_HOST',
    'SERVICE_PORT',
    'CONSUMER_GROUP',
    'LOG_LEVEL',
    'CONSUMER_LAG_INTERVAL',
  ]) {
    assert.match(doc, new RegExp(`\\| \`${name}\``), `${name} is documented`)
  }
})
