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
  assert.match(
    result.stdout,
    /✖ payments-dev\.eventbackbone\.events\.PaymentConfirmed\s+PaymentConfirmed: incompatible\n/,
  )
  assert.match(result.stdout, /amountMinor/)
  assert.match(result.stdout, /1 schema change\(s\) would break consumers/)
})

test('register names the subjects of a topic with several event types by record, and check lists each', async (t) => {
  const registry = await testRegistry(t)
  const registered = await runCli(['schemas', 'register', '--registry', registry.url])
  assert.equal(registered.status, 0, registered.stderr)
  assert.match(
    registered.stdout,
    /payments-dev\.eventbackbone\.events\.PaymentConfirmed\s+id \d+ {2}\(PaymentConfirmed\)/,
  )
  assert.match(
    registered.stdout,
    /payments-dev\.eventbackbone\.events\.PaymentRefunded\s+id \d+ {2}\(PaymentRefunded\)/,
  )
  assert.match(registered.stdout, /logins-value\s+id \d+ {2}\(UserLogin\)/)
  const checked = await runCli(['schemas', 'check', '--registry', registry.url, '--json'])
  const { results } = JSON.parse(checked.stdout) as {
    results: Array<{ eventType: string; subject: string; strategy: string; status: string }>
  }
  assert.deepEqual(
    results
      .filter((result) => result.subject.startsWith('payments-'))
      .map((r) => [r.eventType, r.strategy, r.status]),
    [
      ['PaymentConfirmed', 'TopicRecordName', 'compatible'],
      ['PaymentRefunded', 'TopicRecordName', 'compatible'],
    ],
  )
})

test('check holds an event type that moved to TopicRecordNameStrategy to the versions under <topic>-value', async (t) => {
  const registry = await testRegistry(t)
  // A registry from before payments carried refunds: PaymentConfirmed under payments-value, in a
  // version that lacks amountMinor, so the working tree's schema could not read its records.
  const older = JSON.parse(schemaText('PaymentConfirmed')) as { fields: Array<{ name: string }> }
  older.fields = older.fields.filter((field) => field.name !== 'amountMinor')
  const created = await call(registry, 'POST', '/subjects/payments-value/versions', {
    schema: JSON.stringify(older),
  })
  assert.equal(created.status, 200)

  const result = await runCli(['schemas', 'check', '--registry', registry.url])
  assert.equal(result.status, 1)
  assert.match(
    result.stdout,
    /✖ payments-dev\.eventbackbone\.events\.PaymentConfirmed\s+PaymentConfirmed: incompatible \(against payments-value, where it was before\)/,
  )
  assert.match(
    result.stdout,
    /✔ payments-dev\.eventbackbone\.events\.PaymentRefunded\s+PaymentRefunded: new\n/,
  )
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
  // payments carries two event types: one topic.
  const topics = new Set(eventTypes().map((type) => catalogEntry(type).topic))
  assert.deepEqual([...report.created, ...report.existing].sort(), [...topics].sort())
  const second = await runCli(['topics', 'ensure', '--brokers', brokers, '--json'])
  assert.deepEqual((JSON.parse(second.stdout) as { created: string[] }).created, [])
})
