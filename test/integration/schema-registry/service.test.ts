// Proves the schema registry service starts from its environment, serves, logs JSON and stops cleanly on SIGTERM.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { testAdmin, testBrokers, uniqueName } from '../../helpers/kafka.ts'

const main = new URL('../../../services/schema-registry/main.ts', import.meta.url).pathname

test('the service reads its settings from the environment, serves the API and exits 0 on SIGTERM', async (t) => {
  const topic = uniqueName('_schemas')
  const admin = await testAdmin(t)
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      REGISTRY_PORT: '0',
      REGISTRY_TOPIC: topic,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => child.kill('SIGKILL'))
  const lines: Array<Record<string, unknown>> = []
  let url: string | undefined
  for await (const line of createInterface({ input: child.stdout })) {
    const entry = JSON.parse(line) as Record<string, unknown>
    lines.push(entry)
    if (entry['msg'] === 'schema registry listening') {
      url = entry['url'] as string
      break
    }
  }
  assert.ok(url, JSON.stringify(lines))
  const root = await fetch(`${url}/`)
  assert.deepEqual(await root.json(), {})
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = await exited
  assert.equal(code, 0)
})

test('the service refuses to start without KAFKA_BROKERS and says why', async () => {
  const env = { ...process.env }
  delete env['KAFKA_BROKERS']
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (chunk) => {
    output += chunk
  })
  const [code] = await once(child, 'exit')
  assert.equal(code, 1)
  // The same check and message as every other service's Kafka client (libs/kafka, EB_KAFKA_CONFIG).
  assert.match(output, /KAFKA_BROKERS needs at least one host:port/)
  assert.match(output, /"code":"EB_KAFKA_CONFIG"/)
})
