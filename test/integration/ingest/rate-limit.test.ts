// Proves the gateway's rate limits: a key over its limit gets 429 with Retry-After and nothing is published, other keys and addresses go on.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { endOffsets, gatewayOnPrivateTopics, keys, sensorJson } from '../../helpers/ingest.ts'

const url = '/v1/events/SensorReading'
/** Whole seconds until the next token: the full refill time, less what trickled in meanwhile. */
function assertRetryAfter(header: unknown, full: number): void {
  const seconds = Number(header)
  assert.ok(
    Number.isInteger(seconds) && seconds > full * 0.9 && seconds <= full,
    `Retry-After ${String(header)}`,
  )
}

const as = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` })

test('a key over its rate limit is answered 429 with Retry-After and publishes nothing, while another key is unaffected', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t, { rateLimit: { perSecond: 0.01, burst: 2 } })
  const topics = Object.values(gateway.topics)
  for (let i = 0; i < 2; i++) {
    const ok = await gateway.app.inject({
      method: 'POST',
      url,
      headers: as(keys.sensors),
      payload: sensorJson(),
    })
    assert.equal(ok.statusCode, 202, ok.body)
  }
  const before = await endOffsets(t, topics)
  const limited = await gateway.app.inject({
    method: 'POST',
    url,
    headers: as(keys.sensors),
    payload: sensorJson(),
  })
  assert.equal(limited.statusCode, 429, limited.body)
  assertRetryAfter(limited.headers['retry-after'], 100)
  const body = limited.json() as Record<string, unknown>
  assert.equal(body['error'], 'rate_limited')
  assert.match(String(body['message']), /"sensors" is over its rate limit/)
  assert.equal(typeof body['requestId'], 'string')
  const batch = await gateway.app.inject({
    method: 'POST',
    url: `${url}/batch`,
    headers: as(keys.sensors),
    payload: [sensorJson()],
  })
  assert.equal(batch.statusCode, 429, batch.body)
  assert.deepEqual(await endOffsets(t, topics), before)

  const other = await gateway.app.inject({
    method: 'POST',
    url,
    headers: as(keys.all),
    payload: sensorJson(),
  })
  assert.equal(other.statusCode, 202, other.body)
})

test("a key's own rate in its entry overrides the gateway's limit", async (t) => {
  const { hashApiKey, parseApiKeys } = await import('#libs/ingest')
  const limitedKeys = parseApiKeys(`slow:${hashApiKey(keys.sensors)}:SensorReading:1/h`, ['SensorReading'])
  const gateway = await gatewayOnPrivateTopics(t, {
    keys: limitedKeys,
    rateLimit: { perSecond: 1_000, burst: 1_000 },
  })
  const first = await gateway.app.inject({
    method: 'POST',
    url,
    headers: as(keys.sensors),
    payload: sensorJson(),
  })
  assert.equal(first.statusCode, 202, first.body)
  const second = await gateway.app.inject({
    method: 'POST',
    url,
    headers: as(keys.sensors),
    payload: sensorJson(),
  })
  assert.equal(second.statusCode, 429, second.body)
  assertRetryAfter(second.headers['retry-after'], 3600)
})

test('an address with too many failed authentications is refused 429 even with a valid key, other addresses are not', async (t) => {
  const gateway = await gatewayOnPrivateTopics(t, { authFailureLimit: { perSecond: 0.01, burst: 3 } })
  const topics = Object.values(gateway.topics)
  const guesser = '198.51.100.7'
  for (let i = 0; i < 3; i++) {
    const wrong = await gateway.app.inject({
      method: 'POST',
      url,
      remoteAddress: guesser,
      headers: as(`guess-${i}`),
      payload: sensorJson(),
    })
    assert.equal(wrong.statusCode, 401, wrong.body)
  }
  const before = await endOffsets(t, topics)
  const blocked = await gateway.app.inject({
    method: 'POST',
    url,
    remoteAddress: guesser,
    headers: as(keys.all),
    payload: sensorJson(),
  })
  assert.equal(blocked.statusCode, 429, blocked.body)
  assertRetryAfter(blocked.headers['retry-after'], 100)
  assert.equal((blocked.json() as Record<string, unknown>)['error'], 'rate_limited')
  assert.deepEqual(await endOffsets(t, topics), before)

  const elsewhere = await gateway.app.inject({
    method: 'POST',
    url,
    remoteAddress: '203.0.113.9',
    headers: as(keys.all),
    payload: sensorJson(),
  })
  assert.equal(elsewhere.statusCode, 202, elsewhere.body)
})
