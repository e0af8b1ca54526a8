// Proves a key-ordered trigger delivers several keys at once but each key's events one at a time, in the order they were published, while the function answers in random time.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startFunction } from '../../helpers/function-server.ts'
import { uniqueName, waitFor } from '../../helpers/kafka.ts'
import { alert, serviceFixture, startTriggers } from './helpers.ts'

test('per-key order holds under concurrency 8 with 6 keys and random function latency', async (t) => {
  const fixture = await serviceFixture(t)
  const run = uniqueName('order')
  const keys = Array.from({ length: 6 }, (_, i) => `${run}-k${i}`)
  const perKey = 15
  const fn = await startFunction(t, () => ({ delayMs: Math.floor(Math.random() * 25) }))
  await startTriggers(
    t,
    fixture,
    `triggers:
  - name: ordered
    events: [SecurityAlert]
    url: ${fn.url}
    startFrom: earliest
    ordering: key
    concurrency: 8
    filter: { prefix: { data.userId: ${run} } }
`,
  )
  const published = new Map<string, number[]>(keys.map((key) => [key, []]))
  const sends = []
  for (let n = 0; n < perKey; n++)
    for (const key of keys) {
      published.get(key)!.push(n)
      sends.push(fixture.publisher.publish('SecurityAlert', alert(key, { failureCount: n })))
    }
  await Promise.all(sends)
  await waitFor(() => fn.received.length >= keys.length * perKey, {
    description: 'every delivery',
    timeoutMs: 60_000,
  })
  const seen = new Map<string, number[]>()
  for (const request of fn.received) {
    const event = JSON.parse(request.body) as { userId: string; failureCount: number }
    seen.set(event.userId, [...(seen.get(event.userId) ?? []), event.failureCount])
  }
  for (const key of keys) assert.deepEqual(seen.get(key), published.get(key), `order of ${key}`)
  assert.ok(fn.maxInFlight() > 1, `deliveries overlapped (max ${fn.maxInFlight()} at once)`)
  assert.ok(fn.maxInFlight() <= 8, `concurrency bounded (max ${fn.maxInFlight()} at once)`)
})
