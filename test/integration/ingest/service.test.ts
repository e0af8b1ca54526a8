// Proves the ingest gateway service starts from its environment, becomes ready, publishes, and exits 0 on SIGTERM.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { catalogTopicSpecs } from '#libs/events'
import { hashApiKey } from '#libs/ingest'
import { ensureTopics } from '#libs/kafka'
import { sensorJson } from '../../helpers/ingest.ts'
import { testAdmin, testBrokers, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'

const main = new URL('../../../services/ingest-gateway/main.ts', import.meta.url).pathname

test('the gateway becomes ready, answers 202 for a valid event, and exits 0 on SIGTERM', async (t) => {
  await ensureTopics(await testAdmin(t), catalogTopicSpecs())
  const secret = 'service-test-key'
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
      SERVICE_PORT: '0',
      INGEST_API_KEYS: `service-test:${hashApiKey(secret)}:SensorReading`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => child.kill('SIGKILL'))
  const logs: string[] = []
  let url: string | undefined
  const lines = createInterface({ input: child.stdout })
  for await (const line of lines) {
    logs.push(line)
    const entry = JSON.parse(line) as Record<string, unknown>
    if (entry['msg'] === 'ingest gateway listening') {
      url = entry['url'] as string
      break
    }
  }
  assert.ok(url, logs.join('\n'))
  lines.on('line', (line) => logs.push(line))

  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { description: 'readyz 200' })
  const response = await fetch(`${url}/v1/events/SensorReading`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(sensorJson()),
  })
  assert.equal(response.status, 202)
  assert.equal(((await response.json()) as { topic: string }).topic, 'sensor-readings')
  assert.match(
    await (await fetch(`${url}/metrics`)).text(),
    /eb_ingest_requests_total\{event_type="SensorReading",status="202"\} 1/,
  )

  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = await exited
  assert.equal(code, 0, logs.join('\n'))
  assert.ok(!logs.join('\n').includes(secret), 'the API key never reaches the logs')
})

test('the gateway refuses to start without API keys and says which variable is missing', async () => {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
      INGEST_API_KEYS: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.on('data', (chunk) => {
    output += chunk
  })
  const [code] = await once(child, 'exit')
  assert.equal(code, 1)
  assert.match(output, /INGEST_API_KEYS is not set/)
})
