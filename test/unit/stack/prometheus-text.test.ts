import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sumMetric } from '../../../libs/stack/src/demo/prometheus-text.ts'

const text = `# HELP eb_consumer_retries_total Retries
# TYPE eb_consumer_retries_total counter
eb_consumer_retries_total{group="upload-processor",topic="uploads",kind="in-process",tier=""} 3
eb_consumer_retries_total{group="upload-processor",topic="uploads",kind="topic",tier="1"} 2
eb_consumer_retries_total_extra 100
eb_consumer_dead_lettered_total{group="upload-processor",topic="uploads",stage="handle",error_class="X"} 1
`

test('sums every sample of a metric', () => {
  assert.equal(sumMetric(text, 'eb_consumer_retries_total'), 5)
})

test('sums only the samples whose labels match', () => {
  assert.equal(sumMetric(text, 'eb_consumer_retries_total', { kind: 'topic' }), 2)
})

test('does not confuse a metric with another whose name it prefixes, and reads 0 for a missing one', () => {
  assert.equal(sumMetric(text, 'eb_consumer_dead_lettered_total'), 1)
  assert.equal(sumMetric(text, 'eb_missing_total'), 0)
})
