// Proves the sensor aggregator emits one aggregate per sensor and closed window with the right count, min, max and mean, exactly once, and keeps open windows across a restart.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { SensorReading } from '@event-backbone/catalog'
import { sensorSubscriptions } from '../../../services/sensor-aggregator/handler.ts'
import { uniqueName } from '../../helpers/kafka.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'
import { outputs, serviceFixture, startService, waitCommitted } from './helpers.ts'

const windowMs = 2_000
// Event time is the reading's own. The watermark is per partition of the shared topic, so other
// tests' readings must not be later than ours: a window-aligned instant far in the future.
const base = Math.floor(Date.parse('2100-01-01T00:00:00Z') / windowMs) * windowMs

function reading(sensorId: string, at: number, value: number): SensorReading {
  return {
    ...sampleEvents.SensorReading,
    eventId: randomUUID(),
    sensorId,
    occurredAt: new Date(base + at),
    value,
  }
}

test('closed windows are emitted once each with count, min, max and mean, and an open window survives a restart', async (t) => {
  const fixture = await serviceFixture(t)
  const groupId = uniqueName('sensors')
  const sensor = uniqueName('sensor')
  const env = { CONSUMER_GROUP: groupId, SENSOR_WINDOW: `${windowMs}ms`, SENSOR_GRACE: '0' }
  const aggregates = await outputs(
    t,
    fixture,
    'SensorWindowAggregate',
    'sensor-windows',
    (a) => a.sensorId === sensor,
  )
  const publish = (r: SensorReading) => fixture.publisher.publish('SensorReading', r)

  const beforeRestart = [
    await publish(reading(sensor, 100, 20)),
    await publish(reading(sensor, 900, 26)),
    await publish(reading(sensor, 1_500, 23)),
    await publish(reading(sensor, 2_100, 10)),
  ]
  const service = await startService(t, fixture, {
    name: 'sensor-aggregator',
    subscriptions: sensorSubscriptions,
    env,
  })
  await waitCommitted(t, fixture.kafka, groupId, beforeRestart)
  await service.stop()

  // The second window is open (one reading); the restarted member must continue it, not start over.
  const afterRestart = [await publish(reading(sensor, 3_000, 14)), await publish(reading(sensor, 4_100, 0))]
  await startService(t, fixture, { name: 'sensor-aggregator', subscriptions: sensorSubscriptions, env })
  await waitCommitted(t, fixture.kafka, groupId, afterRestart)

  const windows = (await aggregates()).sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime())
  assert.deepEqual(
    windows.map((w) => [
      w.windowStart.getTime() - base,
      w.windowEnd.getTime() - base,
      w.count,
      w.min,
      w.max,
      w.mean,
    ]),
    [
      [0, 2_000, 3, 20, 26, 23],
      [2_000, 4_000, 2, 10, 14, 12],
    ],
  )
  assert.ok(windows.every((w) => w.kind === 'TEMPERATURE' && w.unit === 'Cel'))
})
