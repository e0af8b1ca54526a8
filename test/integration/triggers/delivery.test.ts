// Proves a trigger delivers matching events to an HTTP function as a binary or structured CloudEvent or in Lambda's self-managed Kafka shape, signed per Standard Webhooks (verified with the standardwebhooks library, also while a secret rotates), with auth headers from the environment, and that its filter keeps other events out.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Webhook } from 'standardwebhooks'
import { startFunction } from '../../helpers/function-server.ts'
import { uniqueName, waitFor } from '../../helpers/kafka.ts'
import { waitCommitted } from '../services/helpers.ts'
import { alert, serviceFixture, startTriggers } from './helpers.ts'

const oldSecret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`
const newSecret = `whsec_${Buffer.alloc(32, 2).toString('base64')}`

test('one event reaches three functions as a binary CloudEvent, a structured CloudEvent and a Lambda Kafka event; the filtered-out one reaches none', async (t) => {
  const fixture = await serviceFixture(t)
  const user = uniqueName('user')
  const [binary, structured, lambda] = await Promise.all([
    startFunction(t),
    startFunction(t),
    startFunction(t),
  ])
  const yaml = ['binary', 'structured', 'lambda']
    .map(
      (format, i) => `  - name: ${format}
    events: [SecurityAlert]
    url: ${[binary, structured, lambda][i]!.url}
    format: ${format}
    startFrom: earliest
    filter:
      exact: { data.userId: ${user} }
      prefix: { type: dev.eventbackbone.events.Security, data.severity: HI }`,
    )
    .join('\n')
  const service = await startTriggers(t, fixture, `triggers:\n${yaml}\n`)
  const wanted = alert(user, { failureCount: 7 })
  const skippedOne = await fixture.publisher.publish('SecurityAlert', alert(`${user}-other`))
  const skippedTwo = await fixture.publisher.publish('SecurityAlert', alert(user, { severity: 'LOW' }))
  const sent = await fixture.publisher.publish('SecurityAlert', wanted)
  await waitFor(
    () => binary.received.length > 0 && structured.received.length > 0 && lambda.received.length > 0,
    {
      // Three groups join at once and read the shared topic from its start (other tests' alerts too).
      timeoutMs: 90_000,
      description: 'a delivery to each function',
    },
  )

  const [b] = binary.received
  assert.equal(b!.headers['ce-specversion'], '1.0')
  assert.equal(b!.headers['ce-id'], wanted.eventId)
  // The publisher's ce_* record headers (the CloudEvents Kafka binding) carry through to HTTP.
  assert.equal(b!.headers['ce-type'], 'dev.eventbackbone.events.SecurityAlert')
  assert.ok(b!.headers['ce-source'], 'the publisher’s source')
  assert.match(String(b!.headers['ce-traceparent']), /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
  assert.equal(b!.headers['ce-subject'], user)
  assert.equal(b!.headers['ce-time'], wanted.occurredAt.toISOString())
  assert.match(String(b!.headers['ce-dataschema']), /(\/schemas\/ids\/|schema-id:)\d+$/)
  assert.equal(b!.headers['content-type'], 'application/json')
  assert.equal(JSON.parse(b!.body).failureCount, 7)

  const [s] = structured.received
  assert.match(String(s!.headers['content-type']), /^application\/cloudevents\+json/)
  const envelope = JSON.parse(s!.body)
  assert.equal(envelope.id, wanted.eventId)
  assert.equal(envelope.type, 'dev.eventbackbone.events.SecurityAlert')
  assert.equal(envelope.data.userId, user)

  const [l] = lambda.received
  const event = JSON.parse(l!.body)
  assert.equal(event.eventSource, 'SelfManagedKafka')
  const [entry] = event.records[`${sent.topic}-${sent.partition}`]
  assert.equal(entry.offset, Number(sent.offset))
  assert.equal(Buffer.from(entry.key, 'base64').toString(), user)
  assert.equal(JSON.parse(Buffer.from(entry.value, 'base64').toString()).eventId, wanted.eventId)

  for (const format of ['binary', 'structured', 'lambda'])
    await waitCommitted(t, fixture.kafka, `${service.prefix}${format}`, [skippedOne, skippedTwo, sent])
  for (const fn of [binary, structured, lambda])
    assert.equal(fn.received.length, 1, 'the filter kept the others out')
  // Other tests' alerts on the shared topic are filtered out too: at least these two were.
  assert.ok((service.status().find((s) => s.name === 'binary')?.usage.filtered ?? 0) >= 2)
})

test('requests carry Standard Webhooks signatures that the standardwebhooks library verifies with the old and with the new secret during a rotation, and the auth header from the environment', async (t) => {
  const fixture = await serviceFixture(t)
  const user = uniqueName('user')
  const fn = await startFunction(t)
  await startTriggers(
    t,
    fixture,
    `triggers:
  - name: signed
    events: SecurityAlert
    url: ${fn.url}
    startFrom: earliest
    filter: { exact: { data.userId: ${user} } }
    signing: { secretEnv: FN_SECRET }
    headers: { authorization: FN_AUTH }
`,
    { FN_SECRET: `${oldSecret} ${newSecret}`, FN_AUTH: 'Bearer token-from-env' },
  )
  const sent = alert(user)
  await fixture.publisher.publish('SecurityAlert', sent)
  const [request] = await waitFor(() => fn.received.length > 0 && fn.received, {
    description: 'the delivery',
  })
  const headers = Object.fromEntries(
    Object.entries(request!.headers).map(([name, value]) => [name, String(value)]),
  )
  assert.equal(headers['webhook-id'], sent.eventId, 'webhook-id is the CloudEvent id, stable across retries')
  assert.equal(headers['authorization'], 'Bearer token-from-env')
  for (const secret of [oldSecret, newSecret]) {
    const payload = new Webhook(secret).verify(request!.body, headers) as { eventId: string }
    assert.equal(payload.eventId, sent.eventId)
  }
  const stranger = `whsec_${Buffer.alloc(32, 3).toString('base64')}`
  assert.throws(() => new Webhook(stranger).verify(request!.body, headers), /signature/i)
})
