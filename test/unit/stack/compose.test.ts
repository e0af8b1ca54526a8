import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { parse } from 'yaml'
import { registryService, stackServices } from '#libs/stack'

const root = new URL('../../../', import.meta.url)
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    { command?: string[]; ports?: string[]; environment?: Record<string, string>; image?: string }
  >
}
const prometheus = parse(readFileSync(new URL('deploy/prometheus.yml', root), 'utf8')) as {
  scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>
}
const all = [registryService, ...stackServices]

test('docker-compose.yml runs every service of the local stack with its entry and default port', () => {
  for (const service of all) {
    const composed = compose.services[service.name]
    assert.ok(composed, `docker-compose.yml has no ${service.name}`)
    assert.deepEqual(composed.command, ['node', service.entry], `${service.name} runs ${service.entry}`)
    assert.ok(
      composed.ports?.includes(`${service.defaultPort}:${service.defaultPort}`),
      `${service.name} publishes ${service.defaultPort}`,
    )
    assert.equal(composed.environment?.['SERVICE_PORT'], String(service.defaultPort))
    assert.equal(
      composed.environment?.['SERVICE_HOST'],
      '0.0.0.0',
      `${service.name} listens beyond loopback in a container`,
    )
    assert.equal(composed.environment?.['KAFKA_BROKERS'], 'kafka:19092')
    assert.equal(composed.environment?.['SCHEMA_REGISTRY_URL'], 'http://schema-registry:8081')
  }
})

test('the compose broker is the Kafka version the local jars pin', () => {
  const pom = readFileSync(new URL('libs/kafka-local/maven/pom.xml', root), 'utf8')
  const pinned = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1]
  assert.equal(compose.services['kafka']?.image, `apache/kafka:${pinned}`)
})

test('every environment variable the compose file sets is one the code reads', () => {
  // The stack's own service table is left out: it is what is being checked, not the code that reads.
  const sources = readdirSync(new URL('.', root), { recursive: true, encoding: 'utf8' })
    .filter(
      (file) => /^(libs|services)\//.test(file) && file.endsWith('.ts') && !file.startsWith('libs/stack/'),
    )
    .map((file) => readFileSync(new URL(file, root), 'utf8'))
    .join('\n')
  for (const [name, service] of Object.entries(compose.services)) {
    if (name === 'kafka' || name === 'prometheus') continue
    for (const variable of Object.keys(service.environment ?? {})) {
      const known = ['SERVICE_HOST', 'SERVICE_PORT', 'SCHEMA_REGISTRY_URL', 'LOG_LEVEL'].includes(variable)
      assert.ok(known || sources.includes(variable), `${name} sets ${variable}, which no code reads`)
    }
  }
})

test('Prometheus scrapes every service at its compose name and port', () => {
  const targets = prometheus.scrape_configs.flatMap((config) =>
    config.static_configs.flatMap((s) => s.targets),
  )
  assert.deepEqual(targets.sort(), all.map((service) => `${service.name}:${service.defaultPort}`).sort())
})
