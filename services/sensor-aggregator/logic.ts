import type { SensorReading, SensorWindowAggregate } from '@event-backbone/catalog'
import { uuidFrom } from '@event-backbone/client'

export interface WindowConfig {
  readonly windowMs: number
  /** How far behind the latest event time a reading may arrive and still count. */
  readonly graceMs: number
}

/** One open window of one sensor, as kept in the store (JSON-safe). */
export interface OpenWindow {
  readonly type: 'window'
  readonly sensorId: string
  readonly kind: string
  readonly unit: string
  readonly windowStart: number
  readonly count: number
  readonly min: number
  readonly max: number
  readonly sum: number
}

/** The partition's watermark: max event time seen minus grace. */
export interface Watermark {
  readonly type: 'watermark'
  readonly at: number
}

export type StoreEntry = OpenWindow | Watermark

export const watermarkKey = '~watermark'

export interface Step {
  /** Store changes to apply in order (null deletes the key). */
  readonly changes: ReadonlyArray<readonly [string, StoreEntry | null]>
  readonly closed: SensorWindowAggregate[]
  readonly late: boolean
}

export function windowKey(sensorId: string, windowStart: number): string {
  return `${sensorId}\u0000${windowStart}`
}

/**
 * Folds one reading into the partition's state. Tumbling event-time windows per sensor; the
 * partition's watermark (max event time − grace) closes every window that ends at or before it,
 * also windows of sensors that went quiet. A reading whose window already closed is late: dropped.
 */
export function step(
  state: ReadonlyMap<string, StoreEntry>,
  reading: SensorReading,
  config: WindowConfig,
  now: Date,
): Step {
  const at = reading.occurredAt.getTime()
  const windowStart = at - (at % config.windowMs)
  const previous = state.get(watermarkKey)
  const watermark = previous?.type === 'watermark' ? previous.at : Number.NEGATIVE_INFINITY
  if (windowStart + config.windowMs <= watermark) return { changes: [], closed: [], late: true }
  const changes: Array<readonly [string, StoreEntry | null]> = []
  const key = windowKey(reading.sensorId, windowStart)
  const open = state.get(key)
  const value = reading.value
  changes.push([
    key,
    open?.type === 'window'
      ? {
          ...open,
          count: open.count + 1,
          min: Math.min(open.min, value),
          max: Math.max(open.max, value),
          sum: open.sum + value,
        }
      : {
          type: 'window',
          sensorId: reading.sensorId,
          kind: reading.kind,
          unit: reading.unit,
          windowStart,
          count: 1,
          min: value,
          max: value,
          sum: value,
        },
  ])
  const closed: SensorWindowAggregate[] = []
  const next = at - config.graceMs
  if (next > watermark) {
    changes.push([watermarkKey, { type: 'watermark', at: next }])
    const candidates = [...state.values(), changes[0]![1] as OpenWindow]
    const seen = new Set<string>()
    for (const entry of candidates) {
      if (entry.type !== 'window' || entry.windowStart + config.windowMs > next) continue
      const entryKey = windowKey(entry.sensorId, entry.windowStart)
      if (seen.has(entryKey)) continue
      seen.add(entryKey)
      const final = entryKey === key ? (changes[0]![1] as OpenWindow) : entry
      closed.push(aggregateOf(final, config, now))
      changes.push([entryKey, null])
    }
  }
  closed.sort(
    (a, b) => a.windowStart.getTime() - b.windowStart.getTime() || a.sensorId.localeCompare(b.sensorId),
  )
  return { changes, closed, late: false }
}

export function aggregateOf(window: OpenWindow, config: WindowConfig, now: Date): SensorWindowAggregate {
  return {
    eventId: uuidFrom('sensor-window', window.sensorId, String(window.windowStart)),
    occurredAt: now,
    source: 'sensor-aggregator',
    sensorId: window.sensorId,
    kind: window.kind,
    unit: window.unit,
    windowStart: new Date(window.windowStart),
    windowEnd: new Date(window.windowStart + config.windowMs),
    count: window.count,
    min: window.min,
    max: window.max,
    mean: window.sum / window.count,
  }
}
