// Proves the main job boots the local stack, prints where it is, and stops cleanly on Ctrl-C.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { waitForBroker } from '#libs/kafka-local'

const root = new URL('../../', import.meta.url).pathname

test("backbone up starts Kafka and the registry with the catalog's schemas, and one Ctrl-C (delivered twice, as a terminal does) stops it cleanly", async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, BACKBONE_KAFKA: 'local' }
  delete env['KAFKA_BROKERS']
  const up = spawn(process.execPath, [join(root, 'bin/backbone.js'), 'up', '--json', '--free-ports'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const lines = createInterface({ input: up.stdout! })
  const [first] = (await once(lines, 'line')) as [string]
  const started = JSON.parse(first) as {
    kafka: { source: string; brokers: string[] }
    services: Record<string, string>
  }
  assert.equal(started.kafka.source, 'local')
  const registry = await fetch(`${started.services['schema-registry']}/subjects`)
  assert.equal(registry.status, 200)
  assert.ok(
    ((await registry.json()) as string[]).includes('payments-value'),
    'the catalog schemas are registered',
  )
  await waitForBroker(started.kafka.brokers, { timeoutMs: 10_000 })

  const output: string[] = []
  lines.on('line', (line) => output.push(line))
  const exited = once(up, 'exit')
  up.kill('SIGINT')
  up.kill('SIGINT')
  const [code] = (await exited) as [number | null]
  assert.equal(code, 0)
  assert.deepEqual(output, ['stopping...', 'stopped cleanly'])
  await assert.rejects(waitForBroker(started.kafka.brokers, { timeoutMs: 1_000 }), 'the broker is gone')
})
