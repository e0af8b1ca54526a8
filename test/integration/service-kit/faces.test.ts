// Proves every HTTP face (gateway, console, registry, a consumer service) runs on the one service kit: the same ops routes, the same error shape (the registry's Confluent body is the one exception), and a graceful SIGTERM stop that exits 0 after the request in flight got its answer.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { request as httpRequest } from 'node:http'
import { createInterface } from 'node:readline'
import { type TestContext, test } from 'node:test'
import { catalogTopicSpecs } from '#libs/events'
import { hashApiKey } from '#libs/ingest'
import { ensureTopics } from '#libs/kafka'
import { sensorJson } from '../../helpers/ingest.ts'
import { testAdmin, testBrokers, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'

const service = (name: string) => new URL(`../../../services/${name}/main.ts`, import.meta.url).pathname
const apiKey = 'kit-face-test-api-key'
const operatorToken = 'kit-face-test-operator-token-0123456789'

interface Face {
  readonly name: string
  readonly main: string
  readonly env: NodeJS.ProcessEnv
  /** The log line that carries the service's URL. */
  readonly listening: string
  /** A POST that the test holds in flight across the SIGTERM, and the status it must still get. */
  readonly inFlight: {
    readonly path: string
    readonly headers: Record<string, string>
    readonly body: string
    readonly status: number
  }
  /** Face-specific checks while it runs. */
  readonly probe?: (url: string) => Promise<void>
}

interface Running {
  readonly url: string
  readonly logs: Array<Record<string, unknown>>
  readonly notJson: string[]
  readonly child: ChildProcess
}

async function start(t: TestContext, face: Face): Promise<Running> {
  const child = spawn(process.execPath, [face.main], {
    env: { ...process.env, LOG_LEVEL: 'info', KAFKA_BROKERS: testBrokers().join(','), ...face.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const logs: Array<Record<string, unknown>> = []
  const notJson: string[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      notJson.push(line)
    }
  })
  const url = await waitFor(() => logs.find((log) => log['msg'] === face.listening)?.['url'] as string, {
    description: `${face.name}: "${face.listening}"`,
    timeoutMs: 60_000,
  })
  return { url, logs, notJson, child }
}

/** A POST whose headers the server has taken (100-continue) while its body is still to come. */
async function holdInFlight(url: string, face: Face) {
  const request = httpRequest(`${url}${face.inFlight.path}`, {
    method: 'POST',
    headers: {
      ...face.inFlight.headers,
      expect: '100-continue',
      'content-length': String(Buffer.byteLength(face.inFlight.body)),
    },
  })
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('error', reject)
    request.on('response', (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
  })
  request.flushHeaders()
  // Node's server answers 100 Continue as it hands the request to fastify: it is in flight now.
  await once(request, 'continue')
  return { finish: () => request.end(face.inFlight.body), answered }
}

async function checkFace(t: TestContext, face: Face): Promise<void> {
  const running = await start(t, face)
  const { url, logs } = running

  const health = await fetch(`${url}/healthz`)
  assert.equal(health.status, 200)
  assert.deepEqual(await health.json(), { status: 'ok', service: face.name })
  const ready = await waitFor(
    async () => {
      const response = await fetch(`${url}/readyz`)
      return response.status === 200 ? ((await response.json()) as { service: string }) : undefined
    },
    { description: `${face.name}: /readyz 200`, timeoutMs: 60_000 },
  )
  assert.equal(ready.service, face.name)
  assert.match(
    await (await fetch(`${url}/metrics`)).text(),
    new RegExp(`eb_service_ready\\{service="${face.name}"\\} 1`),
  )

  const missing = await fetch(`${url}/no/such/route`)
  assert.equal(missing.status, 404)
  const body = (await missing.json()) as Record<string, unknown>
  if (face.name === 'schema-registry') {
    // Confluent clients read exactly this body (docs/service-kit.md#the-registrys-exception).
    assert.deepEqual(body, { error_code: 404, message: 'HTTP 404 Not Found' })
  } else {
    assert.deepEqual(body, {
      error: 'not_found',
      message: 'no route for GET /no/such/route',
      requestId: missing.headers.get('x-request-id'),
    })
  }

  await face.probe?.(url)

  const flight = await holdInFlight(url, face)
  const exited = once(running.child, 'exit')
  running.child.kill('SIGTERM')
  await waitFor(() => logs.some((log) => log['msg'] === 'stopping' && log['component'] === 'lifecycle'), {
    description: `${face.name}: the kit's stop began`,
  })
  flight.finish()
  const answer = await flight.answered
  assert.equal(
    answer.status,
    face.inFlight.status,
    `${face.name}: the request in flight was served: ${answer.body}`,
  )
  const [code] = await exited
  assert.equal(code, 0, JSON.stringify(logs.slice(-5)))
  assert.deepEqual(running.notJson, [], 'every stdout line is JSON')
  assert.ok(
    logs.every((log) => log['service'] === face.name),
    'every line names the service',
  )
  const text = JSON.stringify(logs)
  assert.ok(!text.includes(apiKey) && !text.includes(operatorToken), 'no secret reaches the logs')
}

test('the ingest gateway serves the kit ops routes and error shape and stops gracefully with a publish in flight', async (t) => {
  await ensureTopics(await testAdmin(t), catalogTopicSpecs())
  await checkFace(t, {
    name: 'ingest-gateway',
    main: service('ingest-gateway'),
    env: {
      SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
      SERVICE_PORT: '0',
      INGEST_API_KEYS: `kit:${hashApiKey(apiKey)}:SensorReading`,
    },
    listening: 'ingest gateway listening',
    inFlight: {
      path: '/v1/events/SensorReading',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(sensorJson()),
      status: 202,
    },
  })
})

test('the dlq console honours SERVICE_PORT, answers a catalogue error in the one shape and stops gracefully', async (t) => {
  const face: Face = {
    name: 'dlq-console',
    main: service('dlq-console'),
    env: { SERVICE_PORT: '0', DLQ_OPERATORS: `kit:${operatorToken}`, DLQ_METRICS_INTERVAL: '0' },
    listening: 'dlq console listening',
    inFlight: {
      path: '/api/replays',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
      body: JSON.stringify({ topic: uniqueName('no-such-group.topic.dlt') }),
      status: 404,
    },
    probe: async (url) => {
      const job = await fetch(`${url}/api/replays/no-such-job`, {
        headers: { authorization: `Bearer ${operatorToken}` },
      })
      assert.equal(job.status, 404, 'the status of EB_DLQ_JOB_NOT_FOUND in the catalogue')
      assert.deepEqual(await job.json(), {
        error: 'EB_DLQ_JOB_NOT_FOUND',
        code: 'EB_DLQ_JOB_NOT_FOUND',
        message: 'no such replay job',
        requestId: job.headers.get('x-request-id'),
      })
      const refused = await fetch(`${url}/api/replays`, { method: 'POST' })
      assert.equal(refused.status, 401)
      assert.deepEqual(Object.keys((await refused.json()) as object), ['error', 'message', 'requestId'])
    },
  }
  await checkFace(t, face)
})

test('the schema registry honours SERVICE_PORT, serves the kit ops routes and stops gracefully with a registration in flight', async (t) => {
  const topic = uniqueName('_schemas-kit')
  const admin = await testAdmin(t)
  t.after(() => admin.deleteTopics({ topics: [topic] }).catch(() => {}))
  await checkFace(t, {
    name: 'schema-registry',
    main: service('schema-registry'),
    env: { SERVICE_PORT: '0', REGISTRY_TOPIC: topic },
    listening: 'schema registry listening',
    inFlight: {
      path: `/subjects/${uniqueName('kit')}-value/versions`,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Kit', fields: [] }) }),
      status: 200,
    },
  })
})

test('a consumer service serves the kit ops routes and error shape and stops gracefully', async (t) => {
  await ensureTopics(await testAdmin(t), catalogTopicSpecs())
  const groupId = uniqueName('kit-login-monitor')
  t.after(async () => {
    const admin = testKafka().admin()
    await admin.connect()
    const owned = (await admin.listTopics()).filter((name) => name.startsWith(`${groupId}.`))
    if (owned.length > 0) await admin.deleteTopics({ topics: owned }).catch(() => {})
    await admin.disconnect()
  })
  await checkFace(t, {
    name: 'login-monitor',
    main: service('login-monitor'),
    env: { SCHEMA_REGISTRY_URL: sharedRegistryUrl(), SERVICE_PORT: '0', CONSUMER_GROUP: groupId },
    listening: 'service started',
    inFlight: {
      path: '/no-post-here',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      status: 404,
    },
  })
})
