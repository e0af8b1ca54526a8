import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { parse } from 'yaml'
import { registryService, stackServices } from '#libs/stack'

const root = new URL('../../../', import.meta.url)
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[]
      ports?: string[]
      environment?: Record<string, string>
      image?: string
      volumes?: string[]
    }
  >
}
const prometheus = parse(readFileSync(new URL('deploy/prometheus.yml', root), 'utf8')) as {
  rule_files: string[]
  scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>
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
  // The triggers file reads variables too: ${NAME} in its URLs.
  const triggersFile = readFileSync(new URL('deploy/triggers.yaml', root), 'utf8')
  for (const [name, service] of Object.entries(compose.services)) {
    if (name === 'kafka' || name === 'prometheus' || name === 'grafana') continue
    for (const variable of Object.keys(service.environment ?? {})) {
      const known = ['SERVICE_HOST', 'SERVICE_PORT', 'SCHEMA_REGISTRY_URL', 'LOG_LEVEL'].includes(variable)
      assert.ok(
        known || sources.includes(variable) || triggersFile.includes(`\${${variable}}`),
        `${name} sets ${variable}, which no code reads`,
      )
    }
  }
})

test('Prometheus scrapes every service at its compose name and port', () => {
  const targets = prometheus.scrape_configs.flatMap((config) =>
    config.static_configs.flatMap((s) => s.targets),
  )
  assert.deepEqual(targets.sort(), all.map((service) => `${service.name}:${service.defaultPort}`).sort())
})

/** A compose bind mount `./host:container[:ro]` as [host, container]. */
const mounts = (service: string) =>
  (compose.services[service]?.volumes ?? []).map(
    (volume) => volume.split(':').slice(0, 2) as [string, string],
  )

test('Prometheus in compose loads the alert rules of deploy/ at the path its config names', () => {
  const mounted = new Map(mounts('prometheus').map(([host, container]) => [container, host]))
  assert.equal(mounted.get('/etc/prometheus/prometheus.yml'), './deploy/prometheus.yml')
  assert.ok(prometheus.rule_files.length > 0, 'the config loads rule files')
  for (const file of prometheus.rule_files) {
    const host = mounted.get(`/etc/prometheus/${file}`)
    assert.ok(host, `${file} is mounted next to the config`)
    assert.ok(existsSync(new URL(host, root)), `${host} exists`)
  }
  // The rules select the scrape job by name.
  const rules = readFileSync(new URL('deploy/alerts.yml', root), 'utf8')
  for (const job of rules.matchAll(/job="([^"]+)"/g)) {
    assert.ok(
      prometheus.scrape_configs.some((config) => config.job_name === job[1]),
      `a scrape job is named ${job[1]}`,
    )
  }
})

test('Grafana in compose has the Prometheus datasource and the dashboard, whose queries name only real metrics', () => {
  const mounted = new Map(mounts('grafana').map(([host, container]) => [container, host]))
  assert.equal(mounted.get('/etc/grafana/provisioning'), './deploy/grafana/provisioning')
  const datasources = parse(
    readFileSync(new URL('deploy/grafana/provisioning/datasources/prometheus.yml', root), 'utf8'),
  ) as { datasources: Array<{ uid: string; url: string }> }
  const source = datasources.datasources[0]!
  assert.equal(source.url, 'http://prometheus:9090')
  assert.ok(compose.services['prometheus']?.ports?.includes('9090:9090'))
  const provider = parse(
    readFileSync(new URL('deploy/grafana/provisioning/dashboards/event-backbone.yml', root), 'utf8'),
  ) as { providers: Array<{ options: { path: string } }> }
  const dashboards = provider.providers[0]!.options.path
  assert.equal(mounted.get(dashboards), './deploy/grafana/dashboards')

  const dashboard = JSON.parse(
    readFileSync(new URL('deploy/grafana/dashboards/event-backbone.json', root), 'utf8'),
  ) as { panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }> }
  const docs = readFileSync(new URL('docs/metrics.md', root), 'utf8')
  const rules = readFileSync(new URL('deploy/alerts.yml', root), 'utf8')
  for (const panel of dashboard.panels) {
    assert.equal(panel.datasource.uid, source.uid, `${panel.title} uses the provisioned datasource`)
    for (const target of panel.targets) {
      for (const [name] of target.expr.matchAll(/\beb[_:][a-z_:]+/g)) {
        const known = docs.includes(`\`${name}\``) || rules.includes(`record: ${name}`)
        assert.ok(
          known,
          `${panel.title} queries ${name}, which docs/metrics.md and the recording rules do not have`,
        )
      }
    }
  }
})
