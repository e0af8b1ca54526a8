// Proves the main job: backbone up boots the whole stack, the demo's events posted over HTTP reach every service's output (the permanent failure the dead-letter topic), metrics count them, and one Ctrl-C stops everything.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { catalogEntry, eventTypes } from '@event-backbone/catalog'
import { waitForBroker } from '#libs/kafka-local'
import type { DemoSummary } from '#libs/stack'

const root = new URL('../../', import.meta.url).pathname

interface Status {
  running: boolean
  services: Array<{ name: string; pid: number | null; ready: boolean; restarts: number; state: string }>
}

async function status(): Promise<Status> {
  const child = spawn(process.execPath, [join(root, 'bin/backbone.js'), 'status', '--json'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let text = ''
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString()
  })
  await once(child, 'exit')
  return JSON.parse(text) as Status
}

test('backbone up boots the stack, runs the demo to completion including a replay, prints working credentials, restarts a service killed from outside (backbone status shows it), and one Ctrl-C (delivered twice, as a terminal does) stops it cleanly', async (t) => {
  const env: NodeJS.ProcessEnv = { ...process.env, BACKBONE_KAFKA: 'local' }
  delete env['KAFKA_BROKERS']
  const up = spawn(process.execPath, [join(root, 'bin/backbone.js'), 'up', '--json', '--free-ports'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  // A failed assertion must not leave the stack running: the services follow their lifeline
  // (stdin) and the broker its watchdog when `backbone up` is killed.
  t.after(() => {
    if (up.exitCode === null && up.signalCode === null) up.kill('SIGKILL')
  })
  const lines = createInterface({ input: up.stdout! })
  const next = async () => ((await once(lines, 'line')) as [string])[0]

  const started = JSON.parse(await next()) as {
    kafka: { source: string; brokers: string[] }
    services: Record<string, string>
    apiKey: string
    operatorToken: string
  }
  assert.equal(started.kafka.source, 'local')
  for (const name of [
    'schema-registry',
    'ingest-gateway',
    'upload-processor',
    'payments-ledger',
    'login-monitor',
    'sensor-aggregator',
    'demo-function',
    'function-trigger',
  ]) {
    assert.ok(started.services[name], `${name} is running`)
  }
  const subjects = (await (await fetch(`${started.services['schema-registry']}/subjects`)).json()) as string[]
  for (const eventType of eventTypes()) {
    assert.ok(subjects.includes(catalogEntry(eventType).subject), `the ${eventType} schema is registered`)
  }
  assert.ok(subjects.includes('payments-dev.eventbackbone.events.PaymentRefunded'), 'by record on payments')

  const { demo } = JSON.parse(await next()) as { demo: DemoSummary }
  assert.equal(demo.complete, true, `the demo reached every output: ${JSON.stringify(demo)}`)
  assert.equal(demo.rejected, 0)
  assert.equal(demo.uploadsDeadLettered, 1, 'the permanent failure is in the dead-letter topic')
  assert.equal(demo.duplicatePaymentsPosted, 0, 'a payment published twice is posted once')
  assert.ok(demo.retried >= 2, 'the transient failures were retried')
  assert.ok(demo.deadLettered >= 1, 'metrics count the dead-lettered record')
  assert.ok((demo.function?.invocations ?? 0) >= 1, 'the trigger invoked the demo function')
  assert.ok((demo.function?.accepted ?? 0) >= 1, 'the demo function accepted signed security alerts')
  assert.equal(demo.replay?.status, 'done', 'the operator replay through the console finished')
  assert.equal(demo.replay?.dryRunCount, 1)
  assert.equal(demo.replay?.replayed, 1)
  assert.equal(
    demo.replay?.deadLetteredAgain,
    true,
    'the replayed record was processed again and dead-lettered again',
  )

  const metrics = await (await fetch(`${started.services['upload-processor']}/metrics`)).text()
  assert.match(
    metrics,
    /eb_consumer_dead_lettered_total\{[^}]*group="upload-processor"[^}]*\} 2/,
    'the original and the replayed failure',
  )

  // The printed local credentials work as they are: the API key publishes one event.
  const published = await fetch(`${started.services['ingest-gateway']}/v1/events/SensorReading`, {
    method: 'POST',
    headers: { authorization: `Bearer ${started.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      eventId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      occurredAt: new Date().toISOString(),
      source: 'up-test',
      sensorId: 'sensor-up-test',
      kind: 'TEMPERATURE',
      value: 20.5,
      unit: 'Cel',
    }),
  })
  assert.equal(published.status, 202, await published.text())

  // backbone status sees every service ready; one killed from outside is reported and restarted.
  const before = await status()
  assert.equal(before.running, true)
  assert.ok(
    before.services.every((service) => service.ready && service.restarts === 0),
    JSON.stringify(before),
  )
  const victim = before.services.find((service) => service.name === 'upload-processor')!
  process.kill(victim.pid!, 'SIGKILL')
  const exitedEvent = (JSON.parse(await next()) as { serviceEvent: Record<string, unknown> }).serviceEvent
  assert.equal(exitedEvent['type'], 'exited')
  assert.equal(exitedEvent['service'], 'upload-processor')
  assert.equal(exitedEvent['signal'], 'SIGKILL')
  const restartedEvent = (JSON.parse(await next()) as { serviceEvent: Record<string, unknown> }).serviceEvent
  assert.equal(restartedEvent['type'], 'restarted')
  const after = await status()
  const restarted = after.services.find((service) => service.name === 'upload-processor')!
  assert.equal(restarted.restarts, 1)
  assert.equal(restarted.ready, true)
  assert.notEqual(restarted.pid, victim.pid)

  const output: string[] = []
  lines.on('line', (line) => output.push(line))
  const exited = once(up, 'exit')
  up.kill('SIGINT')
  up.kill('SIGINT')
  const [code] = (await exited) as [number | null]
  assert.equal(code, 0)
  assert.deepEqual(output, ['stopping...', 'stopped cleanly'])
  await assert.rejects(waitForBroker(started.kafka.brokers, { timeoutMs: 1_000 }), 'the broker is gone')
  for (const url of Object.values(started.services)) {
    await assert.rejects(fetch(`${url}/healthz`), `${url} is gone`)
  }
})
