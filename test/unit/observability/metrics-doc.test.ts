import assert from 'node:assert/strict'
import diagnostics from 'node:diagnostics_channel'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { channelNames } from '#libs/consumer'
import { ingestMetricNames } from '#libs/ingest'
import {
  consumerMetricNames,
  createMetricsRegistry,
  instrumentConsumers,
  liveMetricNames,
} from '#libs/observability'
import { registryMetricNames } from '#libs/schema-registry'
import { opsMetricNames } from '#libs/service'
import { triggerMetricNames } from '#libs/triggers'

const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8')

test('every metric and channel is documented in docs/metrics.md, and nothing else is', () => {
  const documented = new Set([...doc.matchAll(/^\|\s*`(eb_[a-z_]+)`/gm)].map((m) => m[1]))
  assert.deepEqual(
    documented,
    new Set([
      ...Object.values(consumerMetricNames),
      ...Object.values(registryMetricNames),
      ...Object.values(ingestMetricNames),
      ...Object.values(liveMetricNames),
      ...Object.values(opsMetricNames),
      ...Object.values(triggerMetricNames),
    ]),
  )
  const channels = new Set([...doc.matchAll(/^\|\s*`(event-backbone:[a-z:-]+)`/gm)].map((m) => m[1]))
  assert.deepEqual(channels, new Set(Object.values(channelNames)))
})

test('a dead-lettered event on its channel increments the dead-letter counter', async (t) => {
  const registry = createMetricsRegistry({ defaultMetrics: false })
  t.after(instrumentConsumers(registry))
  diagnostics.channel(channelNames.deadLettered).publish({
    groupId: 'g',
    topic: 'orders',
    sourceTopic: 'orders',
    partition: 0,
    offset: '1',
    stage: 'deserialize',
    errorClass: 'BadMagicByteError',
    deadLetterTopic: 'g.orders.dlt',
  })
  const text = await registry.metrics()
  assert.match(
    text,
    /eb_consumer_dead_lettered_total\{group="g",topic="orders",stage="deserialize",error_class="BadMagicByteError"\} 1/,
  )
})
