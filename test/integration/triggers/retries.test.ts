// Proves a trigger retries a 503 after the Retry-After the function asked for and a timed-out delivery, dead-letters a 400 at once, and that `backbone dlq replay` sends the dead-lettered delivery to the function again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deadLetterTopicName, retryTopicName } from '#libs/kafka'
import { runCli } from '../../helpers/cli.ts'
import { startFunction } from '../../helpers/function-server.ts'
import { testBrokers, uniqueName, waitFor } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { waitCommitted } from '../services/helpers.ts'
import { alert, alertTrigger, serviceFixture, startTriggers } from './helpers.ts'

test('a 503 with Retry-After: 2 is delivered again no sooner than two seconds later, though the back-off is 50 ms', async (t) => {
  const fixture = await serviceFixture(t)
  const user = uniqueName('user')
  const fn = await startFunction(t, (request) =>
    request.attempt === 1 ? { status: 503, headers: { 'retry-after': '2' } } : undefined,
  )
  await startTriggers(
    t,
    fixture,
    alertTrigger(
      'busy',
      fn.url,
      user,
      'retry: { attempts: 2, initialDelay: 50ms, maxDelay: 10s }\nretryTopics: []',
    ),
  )
  const sent = alert(user)
  await fixture.publisher.publish('SecurityAlert', sent)
  await waitFor(() => fn.received.length >= 2, { description: 'the retried delivery' })
  const [first, second] = fn.received
  assert.equal(second!.headers['ce-id'], sent.eventId)
  assert.equal(second!.headers['webhook-id'], undefined, 'unsigned trigger sends no webhook headers')
  const gap = second!.at - first!.at
  assert.ok(gap >= 1_900, `the retry waited ${gap} ms`)
})

test('a delivery the function does not answer within the timeout is retried and then succeeds', async (t) => {
  const fixture = await serviceFixture(t)
  const user = uniqueName('user')
  const fn = await startFunction(t, (request) => (request.attempt === 1 ? { delayMs: 3_000 } : undefined))
  const service = await startTriggers(
    t,
    fixture,
    alertTrigger(
      'slow',
      fn.url,
      user,
      'timeout: 300ms\nretry: { attempts: 2, initialDelay: 50ms }\nretryTopics: []',
    ),
  )
  const sent = await fixture.publisher.publish('SecurityAlert', alert(user))
  await waitCommitted(t, fixture.kafka, `${service.prefix}slow`, [sent])
  assert.equal(fn.received.length, 2)
  const usage = service.status()[0]!.usage
  assert.equal(usage.byClass['timeout'], 1)
  assert.equal(usage.byClass['2xx'], 1)
})

test('a 400 is dead-lettered after one attempt, and a replay from the dead-letter topic delivers it to the function again', async (t) => {
  const fixture = await serviceFixture(t)
  const user = uniqueName('user')
  let rejecting = true
  const fn = await startFunction(t, () => (rejecting ? { status: 400, body: 'no such user' } : undefined))
  const service = await startTriggers(
    t,
    fixture,
    alertTrigger('picky', fn.url, user, 'retry: { attempts: 3, initialDelay: 50ms }\nretryTopics: [1s]'),
  )
  const sent = alert(user)
  const published = await fixture.publisher.publish('SecurityAlert', sent)
  const group = `${service.prefix}picky`
  await waitCommitted(t, fixture.kafka, group, [published])
  assert.equal(fn.received.length, 1, 'a permanent 4xx is not retried')
  const dlt = deadLetterTopicName(group, 'security-alerts')
  const env = {
    KAFKA_BROKERS: testBrokers().join(','),
    SCHEMA_REGISTRY_URL: sharedRegistryUrl(),
    DLQ_OPERATOR: 'ops',
  }
  const shown = await runCli(['dlq', 'show', dlt, '--json'], env)
  assert.equal(shown.status, 0, shown.stderr)
  const page = JSON.parse(shown.stdout)
  assert.equal(page.records.length, 1)
  assert.match(JSON.stringify(page.records[0]), /DeliveryRejectedError/)

  rejecting = false
  const replayed = await runCli(['dlq', 'replay', dlt, '--yes', '--json'], env)
  assert.equal(replayed.status, 0, replayed.stderr)
  const job = JSON.parse(replayed.stdout)
  assert.equal(job.counts.replayed, 1)
  assert.equal(job.spec.targetTopic, retryTopicName(group, 'security-alerts', 1))
  await waitFor(() => fn.received.length >= 2, { description: 'the replayed delivery', timeoutMs: 30_000 })
  assert.equal(
    fn.received[1]!.headers['ce-id'],
    sent.eventId,
    'the same CloudEvent id: the function can deduplicate',
  )
  assert.equal(fn.received[1]!.attempt, 2)
})
