// Proves the function-trigger service reports ready once every trigger's group joined, counts invocations, failures by class, durations and estimated cost per trigger in /metrics and GET /triggers, and that `backbone triggers list|status --json` show the file and the running service.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { TriggerStatus } from '#libs/triggers'
import { sumMetric } from '../../../libs/stack/src/demo/prometheus-text.ts'
import { runCli } from '../../helpers/cli.ts'
import { startFunction } from '../../helpers/function-server.ts'
import { uniqueName } from '../../helpers/kafka.ts'
import { waitCommitted } from '../services/helpers.ts'
import { alert, alertTrigger, serviceFixture, startTriggers } from './helpers.ts'

test('metrics and status count invocations by class and estimate the cost at the trigger’s prices', async (t) => {
  const fixture = await serviceFixture(t)
  const user = uniqueName('user')
  const fn = await startFunction(t, (request) => (request.attempt === 1 ? { status: 502 } : { delayMs: 20 }))
  const yaml = alertTrigger(
    'costed',
    fn.url,
    user,
    `retry: { attempts: 1, initialDelay: 10ms }
retryTopics: []
cost: { memoryMb: 1024, pricePerMillionInvocations: 1000000, pricePerGbSecond: 0 }`,
  )
  const service = await startTriggers(t, fixture, yaml)
  const ready = await fetch(`${service.http.url}/readyz`)
  assert.equal(ready.status, 200, 'ready once the trigger’s group has joined')
  await ready.body?.cancel()

  const sent = []
  for (let i = 0; i < 3; i++) sent.push(await fixture.publisher.publish('SecurityAlert', alert(user)))
  await waitCommitted(t, fixture.kafka, `${service.prefix}costed`, sent)

  const text = await (await fetch(`${service.http.url}/metrics`)).text()
  const where = { trigger: 'costed' }
  assert.equal(sumMetric(text, 'eb_trigger_invocations_total', { ...where, class: '2xx' }), 3)
  assert.equal(sumMetric(text, 'eb_trigger_invocations_total', { ...where, class: '5xx' }), 3)
  assert.equal(sumMetric(text, 'eb_trigger_failures_total', { ...where, class: '5xx' }), 3)
  assert.equal(sumMetric(text, 'eb_trigger_duration_seconds_count', where), 6)
  assert.equal(sumMetric(text, 'eb_trigger_in_flight', where), 0)
  // $1 per invocation at these prices, GB-seconds free: six billed invocations cost $6.
  assert.ok(Math.abs(sumMetric(text, 'eb_trigger_estimated_cost_usd_total', where) - 6) < 1e-9)
  assert.ok(
    sumMetric(text, 'eb_trigger_billed_gb_seconds_total', where) >= 3 * 0.02,
    '1 GB × at least 20 ms × 3',
  )

  const body = (await (await fetch(`${service.http.url}/triggers`)).json()) as { triggers: TriggerStatus[] }
  const [status] = body.triggers
  assert.ok(status)
  assert.equal(status.name, 'costed')
  assert.equal(status.ready, true)
  assert.deepEqual(status.usage.byClass, { '2xx': 3, '5xx': 3 })

  const cli = await runCli(['triggers', 'status', '--url', service.http.url, '--json'])
  assert.equal(cli.status, 0, cli.stderr)
  assert.equal(JSON.parse(cli.stdout)[0].usage.invocations, 6)
  const human = await runCli(['triggers', 'status', '--url', service.http.url])
  assert.match(human.stdout, /costed \(ready, group .*\): 6 invocation\(s\) \[5xx 3, 2xx 3\], 3 failed/)

  const file = join(tmpdir(), `${uniqueName('triggers')}.yaml`)
  writeFileSync(file, yaml)
  const listed = await runCli(['triggers', 'list', '--file', file, '--json'])
  assert.equal(listed.status, 0, listed.stderr)
  assert.equal(JSON.parse(listed.stdout)[0].cost.memoryMb, 1024)
  writeFileSync(file, yaml.replace('events: [SecurityAlert]', 'events: [SecurityAlarm]'))
  const bad = await runCli(['triggers', 'list', '--file', file])
  assert.equal(bad.status, 1)
  assert.match(
    bad.stderr,
    /:3: triggers\[0\]\.events\[0\] "SecurityAlarm" is not an event type of the catalog \[EB_TRIGGER_CONFIG\]/,
  )
})
