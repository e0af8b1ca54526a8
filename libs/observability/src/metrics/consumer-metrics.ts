import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import { onChannel } from '#libs/consumer'

/** Metric names; docs/metrics.md has the same table and a unit test keeps the two in step. */
export const consumerMetricNames = {
  consumed: 'eb_consumer_records_consumed_total',
  handlerDuration: 'eb_consumer_handler_duration_seconds',
  retries: 'eb_consumer_retries_total',
  deadLettered: 'eb_consumer_dead_lettered_total',
  skipped: 'eb_consumer_skipped_total',
  commits: 'eb_consumer_commits_total',
  committedRecords: 'eb_consumer_committed_records_total',
  aborted: 'eb_consumer_transactions_aborted_total',
  lag: 'eb_consumer_lag_records',
  ready: 'eb_consumer_ready',
  restarts: 'eb_consumer_restarts_total',
  filtered: 'eb_consumer_filtered_total',
  timeouts: 'eb_consumer_handler_timeouts_total',
  expired: 'eb_consumer_expired_total',
} as const

/**
 * Registers the consumer runtime's metrics on `registry` and subscribes them to its diagnostics
 * channels. Returns a function that unsubscribes (metrics stay registered).
 */
export function instrumentConsumers(registry: Registry): () => void {
  const registers = [registry]
  const consumed = new Counter({
    name: consumerMetricNames.consumed,
    help: 'Records handled successfully',
    labelNames: ['group', 'topic'],
    registers,
  })
  const handlerDuration = new Histogram({
    name: consumerMetricNames.handlerDuration,
    help: 'Handler call duration',
    labelNames: ['group', 'topic', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers,
  })
  const retries = new Counter({
    name: consumerMetricNames.retries,
    help: 'Retries: in process, or by writing to a retry topic',
    labelNames: ['group', 'topic', 'kind', 'tier'],
    registers,
  })
  const deadLettered = new Counter({
    name: consumerMetricNames.deadLettered,
    help: 'Records written to the dead-letter topic',
    labelNames: ['group', 'topic', 'stage', 'error_class'],
    registers,
  })
  const skipped = new Counter({
    name: consumerMetricNames.skipped,
    help: 'Failed records dropped because the policy has deadLetter: false',
    labelNames: ['group', 'topic', 'stage'],
    registers,
  })
  const commits = new Counter({
    name: consumerMetricNames.commits,
    help: 'Offset commits (transactional for exactly-once)',
    labelNames: ['group', 'topic', 'transactional'],
    registers,
  })
  const committedRecords = new Counter({
    name: consumerMetricNames.committedRecords,
    help: 'Records whose offsets were committed',
    labelNames: ['group', 'topic'],
    registers,
  })
  const aborted = new Counter({
    name: consumerMetricNames.aborted,
    help: 'Exactly-once transactions aborted (the batch is processed again)',
    labelNames: ['group', 'topic'],
    registers,
  })
  const lag = new Gauge({
    name: consumerMetricNames.lag,
    help: 'Records between the committed offset and the high watermark, per partition, after the last batch',
    labelNames: ['group', 'topic', 'partition'],
    registers,
  })
  const ready = new Gauge({
    name: consumerMetricNames.ready,
    help: '1 while the member has joined its group',
    labelNames: ['group'],
    registers,
  })
  const restarts = new Counter({
    name: consumerMetricNames.restarts,
    help: 'Consumer restarts after a crash',
    labelNames: ['group'],
    registers,
  })
  const filtered = new Counter({
    name: consumerMetricNames.filtered,
    help: 'Records the subscription filter skipped (their offsets still commit)',
    labelNames: ['group', 'topic'],
    registers,
  })
  const timeouts = new Counter({
    name: consumerMetricNames.timeouts,
    help: 'Handler calls that ran longer than handlerTimeout (failed as retriable)',
    labelNames: ['group', 'topic'],
    registers,
  })
  const expired = new Counter({
    name: consumerMetricNames.expired,
    help: 'Records older than maxRecordAge when read (dead-lettered, or skipped with deadLetter: false)',
    labelNames: ['group', 'topic'],
    registers,
  })
  const unsubscribe = [
    onChannel('filtered', (e) => filtered.inc({ group: e.groupId, topic: e.topic })),
    onChannel('timedOut', (e) => timeouts.inc({ group: e.groupId, topic: e.topic })),
    onChannel('expired', (e) => expired.inc({ group: e.groupId, topic: e.topic })),
    onChannel('consumed', (e) => consumed.inc({ group: e.groupId, topic: e.topic })),
    onChannel('handler', (e) =>
      handlerDuration.observe(
        { group: e.groupId, topic: e.topic, outcome: e.ok ? 'ok' : 'error' },
        e.durationMs / 1_000,
      ),
    ),
    onChannel('retried', (e) =>
      retries.inc({ group: e.groupId, topic: e.topic, kind: e.kind, tier: String(e.tier) }),
    ),
    onChannel('deadLettered', (e) =>
      deadLettered.inc({ group: e.groupId, topic: e.topic, stage: e.stage, error_class: e.errorClass }),
    ),
    onChannel('skipped', (e) => skipped.inc({ group: e.groupId, topic: e.topic, stage: e.stage })),
    onChannel('committed', (e) => {
      commits.inc({ group: e.groupId, topic: e.topic, transactional: String(e.transactional) })
      committedRecords.inc({ group: e.groupId, topic: e.topic }, e.records)
    }),
    onChannel('aborted', (e) => aborted.inc({ group: e.groupId, topic: e.topic })),
    onChannel('batch', (e) =>
      lag.set({ group: e.groupId, topic: e.topic, partition: String(e.partition) }, e.lag),
    ),
    onChannel('lifecycle', (e) => {
      ready.set({ group: e.groupId }, e.state === 'joined' ? 1 : 0)
      if (e.state === 'restarting') restarts.inc({ group: e.groupId })
    }),
  ]
  return () => {
    for (const off of unsubscribe) off()
  }
}
