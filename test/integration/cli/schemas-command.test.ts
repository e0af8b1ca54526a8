// Proves `backbone schemas register|check` and `backbone registry start` work against the real registry and broker.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { catalogEntry, eventTypes, schemaText } from '@event-backbone/catalog'
import { freePort } from '#libs/kafka-local'
import { runCli, spawnCli } from '../../helpers/cli.ts'
import { uniqueName } from '../../helpers/kafka.ts'
import { call, testRegistry } from '../../helpers/registry.ts'

test('check passes on an empty registry, register registers every catalog schema, and check passes again', async (t) => {
  const registry = await testRegistry(t)
  const first = await runCli(['schemas', 'check', '--registry', registry.url, '--json'])
  assert.equal(first.status, 0, first.stderr)
  const before = JSON.parse(first.stdout) as { compatible: boolean; results: Array<{ status: string }> }
  assert.equal(before.compatible, true)
  assert.ok(before.results.every((result) => result.status === 'new'))

  const registered = await runCli(['schemas', 'register', '--registry', registry.url, '--json'])
  assert.equal(registered.status, 0, registered.stderr)
  const { registered: entries } = JSON.parse(registered.stdout) as {
    registered: Array<{ subject: string; id: number }>
  }
  assert.deepEqual(
    entries.map((entry) => entry.subject).sort(),
    eventTypes()
      .map((type) => catalogEntry(type).subject)
      .sort(),
  )
  const subjects = (await call(registry, 'GET', '/subjects')).body as string[]
  assert.equal(subjects.length, eventTypes().length)

  const second = await runCli(['schemas', 'check', '--registry', registry.url])
  assert.equal(second.status, 0, second.stderr)
  assert.match(second.stdout, /all schemas can be registered without breaking consumers/)
})

test('check fails with an explanation when the working tree would break readers of registered data', async (t) => {
  const registry = await testRegistry(t)
  // The registered version lacks amountMinor, which the working tree's schema requires without a
  // default: the new schema could not read records already written.
  const older = JSON.parse(schemaText('PaymentConfirmed')) as { fields: Array<{ name: string }> }
  older.fields = older.fields.filter((field) => field.name !== 'amountMinor')
  const subject = catalogEntry('PaymentConfirmed').subject
  const created = await call(registry, 'POST', `/subjects/${subject}/versions`, {
    schema: JSON.stringify(older),
  })
  assert.equal(created.status, 200)

  const result = await runCli(['schemas', 'check', '--registry', registry.url])
  assert.equal(result.status, 1)
  assert.match(result.stdout, /✖ payments-value\s+PaymentConfirmed: incompatible/)
  assert.match(result.stdout, /amountMinor/)
  assert.match(result.stdout, /1 schema change\(s\) would break consumers/)
})

test('check says in one line when the registry does not answer', async () => {
  const result = await runCli(['schemas', 'check', '--registry', `http://127.0.0.1:${await freePort()}`])
  assert.equal(result.status, 1)
  assert.match(
    result.stderr.trim(),
    /^backbone: the schema registry at http:\/\/127\.0\.0\.1:\d+ did not answer \[EB_SERDE_REGISTRY_UNAVAILABLE\]$/,
  )
})

test('registry start serves the registry until Ctrl-C and then exits cleanly', async () => {
  const registry = spawnCli(['registry', 'start', '--port', '0', '--topic', uniqueName('_schemas'), '--json'])
  const [line] = (await once(createInterface({ input: registry.stdout! }), 'line')) as [string]
  const { url } = JSON.parse(line) as { url: string }
  const response = await call({ url }, 'GET', '/subjects')
  assert.equal(response.status, 200)
  assert.deepEqual(response.body, [])
  const exited = once(registry, 'exit')
  registry.kill('SIGINT')
  const [code] = (await exited) as [number | null]
  assert.equal(code, 0)
})

test('topics ensure creates the catalog topics once and leaves them alone the second time', async () => {
  const brokers = process.env['KAFKA_BROKERS']!
  const first = await runCli(['topics', 'ensure', '--brokers', brokers, '--json'])
  assert.equal(first.status, 0, first.stderr)
  const report = JSON.parse(first.stdout) as { created: string[]; existing: string[] }
  const topics = eventTypes().map((type) => catalogEntry(type).topic)
  assert.deepEqual([...report.created, ...report.existing].sort(), [...topics].sort())
  const second = await runCli(['topics', 'ensure', '--brokers', brokers, '--json'])
  assert.deepEqual((JSON.parse(second.stdout) as { created: string[] }).created, [])
})
