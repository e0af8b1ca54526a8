// Proves that the gateway's API keys and the console's tokens appear nowhere in the services' logs or /metrics, after authenticated, failed and rate-limited requests.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { catalogTopicSpecs } from '#libs/events'
import { hashApiKey } from '#libs/ingest'
import { ensureTopics } from '#libs/kafka'
import { freePort } from '#libs/kafka-local'
import { startServiceProcess } from '#libs/stack'
import { sensorJson } from '../../helpers/ingest.ts'
import { testAdmin, testBrokers } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'

const root = new URL('../../../', import.meta.url).pathname

const secrets = {
  apiKey: 'gw-secret-key-4f1c9a77d2',
  otherApiKey: 'gw-other-key-8b2e61c0f5',
  guessedApiKey: 'gw-guessed-key-0d93aa17be',
  operatorToken: 'op-secret-token-6a5e0b3c91',
  readToken: 'read-secret-token-2c7d44e8af',
  guessedToken: 'guessed-token-9e1b7f2a64',
} as const

async function post(url: string, token: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
}

test('no API key or console token reaches the logs or the metrics of the gateway and the console', async (t) => {
  await ensureTopics(await testAdmin(t), catalogTopicSpecs())
  const logDir = await mkdtemp(join(tmpdir(), 'eb-no-secrets-'))
  t.after(() => rm(logDir, { recursive: true, force: true }))
  const common = {
    ...process.env,
    KAFKA_BROKERS: testBrokers().join(','),
    SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
    LOG_LEVEL: 'debug',
  }

  const gatewayPort = await freePort()
  const gateway = await startServiceProcess({
    name: 'ingest-gateway',
    entry: join(root, 'services/ingest-gateway/main.ts'),
    url: `http://127.0.0.1:${gatewayPort}`,
    cwd: root,
    logDir,
    env: {
      ...common,
      SERVICE_PORT: String(gatewayPort),
      INGEST_API_KEYS: `plant:${hashApiKey(secrets.apiKey)}:SensorReading:2/h,ops:${hashApiKey(secrets.otherApiKey)}:*`,
    },
  })
  t.after(() => gateway.stop(5_000))
  const consolePort = await freePort()
  const console = await startServiceProcess({
    name: 'dlq-console',
    entry: join(root, 'services/dlq-console/main.ts'),
    url: `http://127.0.0.1:${consolePort}`,
    cwd: root,
    logDir,
    env: {
      ...common,
      SERVICE_PORT: String(consolePort),
      // The plain form on purpose: even a token the process holds in clear must not be logged.
      DLQ_OPERATORS: `alice:${secrets.operatorToken}`,
      DLQ_READ_TOKEN: secrets.readToken,
    },
  })
  t.after(() => console.stop(5_000))

  const events = `${gateway.url}/v1/events/SensorReading`
  assert.equal((await post(events, secrets.apiKey, sensorJson())).status, 202)
  assert.equal((await post(events, secrets.apiKey, sensorJson())).status, 202)
  assert.equal((await post(events, secrets.apiKey, sensorJson())).status, 429)
  assert.equal((await post(events, secrets.guessedApiKey, sensorJson())).status, 401)
  assert.equal((await post(`${gateway.url}/v1/events/NoSuchType`, secrets.otherApiKey, {})).status, 404)
  assert.equal((await post(events, secrets.otherApiKey, { not: 'an event' })).status, 400)

  const topics = await fetch(`${console.url}/api/topics`, {
    headers: { authorization: `Bearer ${secrets.readToken}` },
  })
  assert.equal(topics.status, 200)
  assert.equal((await post(`${console.url}/api/replays`, secrets.guessedToken, {})).status, 403)
  assert.equal((await post(`${console.url}/api/replays`, secrets.readToken, {})).status, 403)
  const badReplay = await post(`${console.url}/api/replays`, secrets.operatorToken, {
    topic: 'no-such-topic.dlt',
  })
  assert.ok(badReplay.status >= 400 && badReplay.status < 500, String(badReplay.status))

  const gatewayMetrics = await (await fetch(`${gateway.url}/metrics`)).text()
  const consoleMetrics = await (await fetch(`${console.url}/metrics`)).text()
  assert.match(gatewayMetrics, /eb_ingest_requests_total\{event_type="SensorReading",status="429"\} 1/)
  assert.equal(await gateway.stop(), 0)
  assert.equal(await console.stop(), 0)
  const logs = {
    gateway: await readFile(gateway.logFile, 'utf8'),
    console: await readFile(console.logFile, 'utf8'),
  }
  assert.match(logs.gateway, /ingest gateway listening/)
  assert.match(logs.console, /dlq console listening/)

  const outputs = { ...logs, gatewayMetrics, consoleMetrics }
  for (const [where, text] of Object.entries(outputs)) {
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!text.includes(secret), `${name} appears in ${where}`)
    }
  }
})
