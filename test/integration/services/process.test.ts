// Proves a service started as a process (payments-ledger's main.ts) becomes ready once in its group, serves consumer metrics and exits 0 on SIGTERM.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { catalogTopicSpecs } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { testAdmin, testBrokers, testKafka, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'

test('payments-ledger as a process is ready when in its group, has consumer metrics and stops with exit 0 on SIGTERM', async (t) => {
  const kafka = testKafka()
  await ensureTopics(await testAdmin(t, kafka), catalogTopicSpecs())
  const groupId = uniqueName('ledger-process')
  t.after(async () => {
    const admin = kafka.admin()
    await admin.connect()
    const owned = (await admin.listTopics()).filter((topic) => topic.startsWith(`${groupId}.`))
    if (owned.length > 0) await admin.deleteTopics({ topics: owned }).catch(() => {})
    await admin.disconnect()
  })
  const main = new URL('../../../services/payments-ledger/main.ts', import.meta.url).pathname
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
      CONSUMER_GROUP: groupId,
      SERVICE_PORT: '0',
      LOG_LEVEL: 'info',
      KAFKA_LOG_LEVEL: 'nothing',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const logs: Array<Record<string, unknown>> = []
  const notJson: string[] = []
  let buffer = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>)
      } catch {
        notJson.push(line)
      }
    }
  })

  const url = await waitFor(() => logs.find((log) => log['msg'] === 'service started')?.['url'] as string, {
    description: 'the service started log line',
  })
  assert.deepEqual(notJson, [], 'every stdout line is JSON')
  assert.ok(
    logs.every((log) => log['service'] === 'payments-ledger'),
    'JSON logs named after the service',
  )
  assert.equal((await fetch(`${url}/healthz`)).status, 200)
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { description: '/readyz 200' })
  const metrics = await (await fetch(`${url}/metrics`)).text()
  for (const name of [
    'eb_consumer_records_consumed_total',
    'eb_consumer_dead_lettered_total',
    'eb_consumer_lag_records',
  ]) {
    assert.match(metrics, new RegExp(`# TYPE ${name} `), `/metrics has ${name}`)
  }

  const signalledAt = Date.now()
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
  assert.ok(Date.now() - signalledAt < 30_000, 'stopped within the 30 s stop deadline')
})

test('a service with an invalid variable logs why as JSON and exits 1 before connecting', async () => {
  const main = new URL('../../../services/login-monitor/main.ts', import.meta.url).pathname
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, KAFKA_BROKERS: testBrokers().join(','), SERVICE_PORT: 'eighty' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  assert.equal(code, 1)
  const fatal = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; err?: { code?: string; message?: string } })
    .find((log) => log.msg === 'service failed to start')
  assert.equal(fatal?.err?.code, 'EB_SERVICE_CONFIG')
  assert.match(fatal?.err?.message ?? '', /SERVICE_PORT/)
})
