// The lag monitor's control flow around one group that cannot be measured, with an admin that fails
// for that group on demand (the measuring itself is tested against the broker in
// test/integration/service/lag-monitor.test.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Kafka } from 'kafkajs'
import { createLogger, createMetricsRegistry, groupLagGauges } from '#libs/observability'
import { startLagMonitor } from '#libs/service'

/** An admin whose groups each committed offset 0 of `topic`, whose end offset is `end`. */
function fakeKafka(options: { topic: string; end: () => number; failing: Set<string> }) {
  const admin = {
    connect: async () => {},
    disconnect: async () => {},
    describeGroups: async ([groupId]: string[]) => {
      if (groupId !== undefined && options.failing.has(groupId)) {
        throw Object.assign(new Error('The coordinator is not available'), { retriable: true })
      }
      return { groups: [{ groupId, state: 'Empty', protocolType: 'consumer', protocol: '', members: [] }] }
    },
    fetchOffsets: async () => [
      { topic: options.topic, partitions: [{ partition: 0, offset: '0', metadata: null }] },
    ],
    fetchTopicOffsets: async () => [
      { partition: 0, offset: String(options.end()), high: String(options.end()), low: '0' },
    ],
  }
  return { admin: () => admin } as unknown as Kafka
}

function lagOf(text: string, group: string): number | undefined {
  const line = new RegExp(
    `eb_consumer_group_lag_records\\{group="${group}",topic="t",partition="0"\\} (\\d+)`,
  ).exec(text)
  return line ? Number(line[1]) : undefined
}

test('a group that cannot be measured keeps its last values while the others are measured, logged once per change', async (t) => {
  let end = 2
  const failing = new Set<string>()
  const registry = createMetricsRegistry({ defaultMetrics: false })
  const lines: Array<{ msg: string; groups?: string[] }> = []
  const logger = createLogger(
    'lag-monitor-test',
    { LOG_LEVEL: 'warn' },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  )
  const groups = ['a', 'b', 'c', 'd', 'e', 'f']
  const monitor = startLagMonitor({
    kafka: fakeKafka({ topic: 't', end: () => end, failing }),
    groups: () => groups,
    gauges: groupLagGauges(registry),
    intervalMs: 0,
    logger,
  })
  t.after(() => monitor.stop())
  await monitor.measure()
  const first = await registry.metrics()
  assert.deepEqual(
    groups.map((group) => lagOf(first, group)),
    [2, 2, 2, 2, 2, 2],
  )

  failing.add('b')
  end = 5
  await monitor.measure()
  await monitor.measure()
  const text = await registry.metrics()
  assert.deepEqual(
    groups.map((group) => lagOf(text, group)),
    [5, 2, 5, 5, 5, 5],
    'b keeps its last lag, every other group is measured',
  )
  const partial = lines.filter((line) => line.msg.startsWith('measuring the lag of some groups failed'))
  assert.equal(partial.length, 1, 'two ticks with the same failing group: one warning')
  assert.deepEqual(partial[0]?.groups, ['b'])

  // Every group failing is the outage the monitor reports as such.
  for (const group of groups) failing.add(group)
  await monitor.measure()
  assert.ok(lines.some((line) => line.msg.startsWith('measuring consumer lag failed')))
})
