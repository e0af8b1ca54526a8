// Proves triggers deliver to real function runtimes (Google's Functions Framework and Cloudflare's workerd): signatures verified on the function's side during a secret rotation, per-key order under concurrency, a 503 with Retry-After and a timeout retried, a 400 dead-lettered, and a replay from the dead-letter topic delivered to the function again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deadLetterTopicName } from '#libs/kafka'
import { runCli } from '../../helpers/cli.ts'
import {
  type FunctionEndpoint,
  type Received,
  startFunctionsFramework,
  startWorkerd,
} from '../../helpers/functions/index.ts'
import { testBrokers, uniqueName } from '../../helpers/kafka.ts'
import { sharedRegistryUrl } from '../../helpers/registry.ts'
import { waitCommitted } from '../services/helpers.ts'
import { alert, serviceFixture, startTriggers } from './helpers.ts'

const oldSecret = `whsec_${Buffer.alloc(32, 4).toString('base64')}`
const newSecret = `whsec_${Buffer.alloc(32, 5).toString('base64')}`

const runtimes: Array<[string, 'binary' | 'structured', (t: test.TestContext) => Promise<FunctionEndpoint>]> =
  [
    ['the Functions Framework', 'binary', (t) => startFunctionsFramework(t)],
    ['workerd', 'structured', (t) => startWorkerd(t)],
  ]

for (const [runtime, format, start] of runtimes) {
  test(`${runtime} receives signed ${format} CloudEvents in key order, retried after 503 and a timeout, a 400 dead-lettered and replayed`, async (t) => {
    const fixture = await serviceFixture(t)
    const run = uniqueName('rt')
    const fn = await start(t)
    const first = alert(`${run}-a`, { failureCount: 1 })
    const slow = alert(`${run}-b`, { failureCount: 1 })
    const rejected = alert(`${run}-c`, { severity: 'LOW' })
    // The function knows only the new secret; the trigger signs with both, as in a rotation.
    await fn.setBehaviour({
      secrets: [newSecret],
      fail: { times: 1, status: 503, retryAfter: 1, ids: [first.eventId] },
      slow: { ms: 3_000, times: 1, ids: [slow.eventId] },
      reject: [{ attribute: 'data.severity', equals: 'LOW' }],
    })
    const service = await startTriggers(
      t,
      fixture,
      `triggers:
  - name: runtime
    events: [SecurityAlert]
    url: ${fn.url}/deliver
    format: ${format}
    startFrom: earliest
    ordering: key
    concurrency: 4
    timeout: 1s
    retry: { attempts: 3, initialDelay: 50ms }
    retryTopics: [1s]
    signing: { secretEnv: FN_SECRETS }
    filter: { prefix: { subject: ${run} } }
`,
      { FN_SECRETS: `${oldSecret} ${newSecret}` },
    )
    const events = [
      first,
      alert(`${run}-a`, { failureCount: 2 }),
      alert(`${run}-a`, { failureCount: 3 }),
      slow,
      alert(`${run}-b`, { failureCount: 2 }),
      rejected,
    ]
    const published = []
    for (const event of events) published.push(await fixture.publisher.publish('SecurityAlert', event))
    const group = `${service.prefix}runtime`
    await waitCommitted(t, fixture.kafka, group, published)

    const deliveries = await fn.received()
    const ok = deliveries.filter((d) => d.status === 200)
    assert.deepEqual(
      new Set(ok.map((d) => d.id)),
      new Set(events.filter((e) => e !== rejected).map((e) => e.eventId)),
      'every event but the rejected one was accepted',
    )
    for (const delivery of deliveries)
      assert.equal(delivery.signature, 'valid', `${delivery.id} verified with the new secret`)
    assert.equal(deliveries[0]?.mode, format)

    const order = (key: string) =>
      ok.filter((d) => d.partitionKey === key).map((d) => (d.data as { failureCount: number }).failureCount)
    assert.deepEqual(order(`${run}-a`), [1, 2, 3], 'key a in order, the retried event first')
    assert.deepEqual(order(`${run}-b`), [1, 2], 'key b in order, the timed-out event first')

    const attemptsOf = (id: string) => deliveries.filter((d: Received) => d.id === id)
    const [failed, retried] = attemptsOf(first.eventId)
    assert.equal(failed?.status, 503)
    assert.ok(retried && failed && retried.receivedAt - failed.receivedAt >= 900, 'Retry-After: 1 honoured')
    assert.ok(attemptsOf(slow.eventId).length >= 2, 'the timed-out delivery was retried')
    assert.deepEqual(
      attemptsOf(rejected.eventId).map((d) => d.status),
      [400],
      'a 400 is not retried',
    )

    // Replay the dead-lettered event once the function accepts it.
    await fn.setBehaviour({ secrets: [newSecret] })
    const dlt = deadLetterTopicName(group, 'security-alerts')
    const env = { KAFKA_BROKERS: testBrokers().join(','), SCHEMA_REGISTRY_URL: sharedRegistryUrl() }
    const replay = await runCli(['dlq', 'replay', dlt, '--yes', '--json'], env)
    assert.equal(replay.status, 0, replay.stderr)
    assert.equal(JSON.parse(replay.stdout).counts.replayed, 1)
    const again = await fn.waitFor(1, {
      timeoutMs: 30_000,
      where: (d) => d.id === rejected.eventId && d.status === 200,
    })
    assert.equal(again[0]?.attempt, 2, 'the same ce-id, delivered again')
  })
}
