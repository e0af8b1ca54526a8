import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { SensorReading, SensorWindowAggregate } from '@event-backbone/catalog'
import { type StoreEntry, step, type WindowConfig } from '../../../services/sensor-aggregator/logic.ts'
import { sampleEvents } from '../../helpers/sample-events.ts'

const now = new Date('2026-11-27T12:00:00Z')
const base = Date.parse('2026-11-27T10:00:00Z')

function reading(sensorId: string, at: number, value: number): SensorReading {
  return { ...sampleEvents.SensorReading, sensorId, occurredAt: new Date(base + at), value }
}

/** Applies readings like the handler does and returns what was emitted. */
function run(readings: SensorReading[], config: WindowConfig) {
  const state = new Map<string, StoreEntry>()
  const closed: SensorWindowAggregate[] = []
  let late = 0
  for (const r of readings) {
    const result = step(state, r, config, now)
    if (result.late) late++
    closed.push(...result.closed)
    for (const [key, value] of result.changes) {
      if (value === null) state.delete(key)
      else state.set(key, value)
    }
  }
  return { closed, late, state }
}

test('a window closes when a reading of a later window arrives, with count, min, max and mean', () => {
  const { closed } = run(
    [reading('s1', 100, 20), reading('s1', 400, 23), reading('s1', 900, 22), reading('s1', 1_100, 99)],
    { windowMs: 1_000, graceMs: 0 },
  )
  assert.equal(closed.length, 1)
  const [window] = closed
  assert.equal(window?.count, 3)
  assert.equal(window?.min, 20)
  assert.equal(window?.max, 23)
  assert.equal(window?.mean, 65 / 3)
  assert.equal(window?.windowStart.getTime(), base)
  assert.equal(window?.windowEnd.getTime(), base + 1_000)
})

test('the partition watermark also closes the window of a sensor that went quiet', () => {
  const { closed } = run([reading('quiet', 100, 1), reading('busy', 2_500, 5)], {
    windowMs: 1_000,
    graceMs: 0,
  })
  assert.deepEqual(
    closed.map((window) => window.sensorId),
    ['quiet'],
  )
})

test('within the grace a reading of the previous window still counts; after it, it is late and dropped', () => {
  const config = { windowMs: 1_000, graceMs: 500 }
  const inGrace = run(
    [reading('g', 100, 1), reading('g', 1_200, 2), reading('g', 900, 3), reading('g', 2_000, 4)],
    config,
  )
  assert.equal(inGrace.closed[0]?.count, 2)
  assert.equal(inGrace.late, 0)
  const late = run([reading('g', 100, 1), reading('g', 1_600, 2), reading('g', 900, 3)], config)
  assert.equal(late.late, 1)
  assert.equal(late.closed[0]?.count, 1)
})

test('an open window stays in the state until it closes, and is removed when it does', () => {
  const { state } = run([reading('s2', 100, 1), reading('s2', 1_100, 2)], { windowMs: 1_000, graceMs: 0 })
  const windows = [...state.values()].filter((entry) => entry.type === 'window')
  assert.equal(windows.length, 1)
  assert.equal(windows[0]?.type === 'window' && windows[0].windowStart, base + 1_000)
})

test('the aggregate event id is stable per sensor and window', () => {
  const config = { windowMs: 1_000, graceMs: 0 }
  const a = run([reading('s3', 100, 1), reading('s3', 1_100, 2)], config).closed[0]
  const b = run([reading('s3', 200, 7), reading('s3', 1_300, 2)], config).closed[0]
  assert.equal(a?.eventId, b?.eventId)
})
