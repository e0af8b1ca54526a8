import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMetricsRegistry, deadLetterGauges, groupLagGauges, replayGauges } from '#libs/observability'

test("a group lag measurement replaces the group's series, so a partition it no longer reads disappears", async () => {
  const registry = createMetricsRegistry({ defaultMetrics: false })
  const gauges = groupLagGauges(registry)
  gauges.set('g', [
    { topic: 'orders', partition: 0, lag: 3 },
    { topic: 'g.orders.retry.1', partition: 0, lag: 1 },
  ])
  gauges.set('other', [{ topic: 'orders', partition: 0, lag: 7 }])
  gauges.set('g', [{ topic: 'orders', partition: 0, lag: 5 }], 2_000)
  const text = await registry.metrics()
  assert.match(text, /eb_consumer_group_lag_records\{group="g",topic="orders",partition="0"\} 5/)
  assert.doesNotMatch(text, /g\.orders\.retry\.1/)
  assert.match(text, /eb_consumer_group_lag_records\{group="other",topic="orders",partition="0"\} 7/)
  assert.match(text, /eb_consumer_group_lag_measured_timestamp_seconds\{group="g"\} 2\n/)
  gauges.remove('other')
  assert.deepEqual(gauges.groups(), ['g'])
  assert.doesNotMatch(await registry.metrics(), /group="other"/, 'a removed group has no series at all')
})

test("the age of a dead-letter topic's oldest record is taken at scrape time, and 0 for an empty topic", async () => {
  const registry = createMetricsRegistry({ defaultMetrics: false })
  let now = 10_000
  const gauges = deadLetterGauges(registry, () => now)
  gauges.set([
    { topic: 'g.orders.dlt', depth: 2, oldestAt: 4_000 },
    { topic: 'g.payments.dlt', depth: 0, oldestAt: undefined },
  ])
  let text = await registry.metrics()
  assert.match(text, /eb_dlq_depth_records\{topic="g\.orders\.dlt"\} 2/)
  assert.match(text, /eb_dlq_oldest_record_age_seconds\{topic="g\.orders\.dlt"\} 6\n/)
  assert.match(text, /eb_dlq_oldest_record_age_seconds\{topic="g\.payments\.dlt"\} 0\n/)
  now = 70_000
  gauges.set([{ topic: 'g.orders.dlt', depth: 2, oldestAt: 4_000 }])
  text = await registry.metrics()
  assert.match(text, /eb_dlq_oldest_record_age_seconds\{topic="g\.orders\.dlt"\} 66\n/)
  assert.doesNotMatch(text, /g\.payments\.dlt/, 'a deleted topic has no series')
})

test("replay gauges show each job's progress, counts and current status", async () => {
  const registry = createMetricsRegistry({ defaultMetrics: false })
  let status = 'running'
  replayGauges(registry, () => [
    {
      id: 'job-1',
      topic: 'g.orders.dlt',
      status,
      fraction: 0.5,
      counts: { scanned: 4, replayed: 3, unmatched: 1, skipped: 0 },
    },
  ])
  let text = await registry.metrics()
  assert.match(text, /eb_replay_job_progress_ratio\{job="job-1",topic="g\.orders\.dlt"\} 0\.5/)
  assert.match(text, /eb_replay_job_records\{job="job-1",topic="g\.orders\.dlt",kind="replayed"\} 3/)
  assert.match(text, /eb_replay_job_status\{job="job-1",topic="g\.orders\.dlt",status="running"\} 1/)
  status = 'done'
  text = await registry.metrics()
  assert.match(text, /eb_replay_job_status\{job="job-1",topic="g\.orders\.dlt",status="done"\} 1/)
  assert.doesNotMatch(text, /status="running"/, 'one status series per job')
})
