// Proves that the console's HTTP API lists, inspects, dry-runs and replays over a real broker, refuses writes without a valid operator token, and names the operator in the job.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deadLetters, testReplayTopics } from '../../helpers/dlq.ts'
import { aliceToken, callConsole, testConsole } from '../../helpers/dlq-console.ts'
import { testKafka, waitFor } from '../../helpers/kafka.ts'

const call = callConsole

test('replay requests without a token get 401, with a wrong token 403, and with an operator token start a job named after the operator', async (t) => {
  const kafka = testKafka()
  const topics = await testReplayTopics(t, kafka)
  const fixture = await deadLetters(t, kafka, [
    { key: 'a', value: Buffer.from('1'), errorClass: 'TypeError', message: 'm' },
    { key: 'b', value: Buffer.from('2'), errorClass: 'LedgerError', message: 'm' },
  ])
  const { http } = await testConsole(t, kafka, { topics })
  const body = { topic: fixture.dlt, selection: { errorClass: ['LedgerError'] } }
  const none = await call(http.url, 'POST', '/api/replays', body)
  assert.equal(none.status, 401)
  assert.match(none.headers.get('www-authenticate') ?? '', /Bearer/)
  assert.equal((await call(http.url, 'POST', '/api/replays', body, 'wrong-token-123')).status, 403)
  assert.equal((await call(http.url, 'POST', '/api/replays/x/cancel', undefined, undefined)).status, 401)
  const listed = await call(http.url, 'GET', `/api/topics?filter=${fixture.dlt}`)
  assert.equal(listed.status, 200)
  assert.equal(listed.body[0].depth, 2)
  const page = await call(http.url, 'POST', `/api/topics/${fixture.dlt}/records`, {
    selection: body.selection,
  })
  assert.deepEqual(
    page.body.records.map((r: { key: { text: string } }) => r.key.text),
    ['b'],
  )
  const dry = await call(http.url, 'POST', '/api/replays/dry-run', body)
  assert.equal(dry.status, 200)
  assert.equal(dry.body.wouldReplay, 1)
  const started = await call(http.url, 'POST', '/api/replays', body, aliceToken)
  assert.equal(started.status, 202)
  const job = await waitFor(
    async () => {
      const current = await call(http.url, 'GET', `/api/replays/${started.body.id}`)
      return current.body?.status === 'done' && current.body
    },
    { description: 'the job to finish' },
  )
  assert.equal(job.counts.replayed, 1)
  assert.equal(job.spec.createdBy, 'alice')
  const audit = await call(http.url, 'GET', `/api/audit?job=${started.body.id}`)
  assert.ok(audit.body.every((a: { by: string }) => a.by === 'alice'))
  const bad = await call(http.url, 'POST', '/api/replays/dry-run', {
    topic: fixture.dlt,
    selection: { nope: 1 },
  })
  assert.equal(bad.status, 400)
  assert.equal((await call(http.url, 'POST', '/api/topics/no-such.dlt/records', {})).status, 404)
})

test('the console serves its page with security headers, its OpenAPI document and the ops routes', async (t) => {
  const kafka = testKafka()
  const { http } = await testConsole(t, kafka)
  const page = await fetch(`${http.url}/`)
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type') ?? '', /text\/html/)
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/)
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff')
  assert.equal(page.headers.get('x-frame-options'), 'DENY')
  const openapi = await call(http.url, 'GET', '/openapi.json')
  assert.equal(openapi.body.openapi, '3.1.0')
  assert.ok(openapi.body.paths['/api/replays'].post)
  for (const path of [
    '/api/browse/{topic}',
    '/api/groups/{groupId}/lag-history',
    '/api/dead-letters/history',
  ])
    assert.ok(openapi.body.paths[path].get, path)
  assert.equal((await call(http.url, 'GET', '/healthz')).status, 200)
  assert.equal((await call(http.url, 'GET', '/readyz')).status, 200)
})
