import { ControlHeaderError } from '@event-backbone/errors'
import type { IHeaders } from 'kafkajs'
import { Header } from './names.ts'
import type { Origin } from './write.ts'

/** What a retry record's control headers say, after bounds checks. */
export interface RetryControl {
  readonly origin: Origin
  /** Handler attempts already spent on this record. */
  readonly attempts: number
  readonly firstFailureAt: number | undefined
  /** When the record may be processed again; undefined means now. */
  readonly dueAt: number | undefined
}

export interface ControlBounds {
  readonly now: number
  /** The subscription's topic: a retry record claiming any other origin is refused. */
  readonly topic: string
  /** The longest delay this group's tiers allow: a due time beyond now + this + skew is refused. */
  readonly maxDelayMs: number
}

const clockSkewMs = 60_000
const maxAttempts = 100_000
const maxEpochMs = 8_640_000_000_000_000 / 1_000 // far beyond any real time, well inside 2^53

function fail(name: string, why: string): never {
  throw new ControlHeaderError(`control header ${name} ${why}`, { context: { header: name } })
}

function text(headers: IHeaders, name: string): string | undefined {
  const value = headers[name]
  if (value === undefined) return undefined
  if (Array.isArray(value)) fail(name, `appears ${value.length} times`)
  const string = Buffer.isBuffer(value) ? value.toString('utf8') : String(value)
  if (string.length > 64 && name !== Header.originalTopic) fail(name, `is ${string.length} characters long`)
  return string
}

function integer(headers: IHeaders, name: string, min: number, max: number): number | undefined {
  const value = text(headers, name)
  if (value === undefined) return undefined
  if (!/^\d{1,16}$/.test(value))
    fail(name, `is not a non-negative whole number: ${JSON.stringify(value.slice(0, 40))}`)
  const parsed = Number(value)
  if (parsed < min || parsed > max) fail(name, `is ${value}, outside ${min}..${max}`)
  return parsed
}

/**
 * Reads the control headers of a record from one of the group's retry topics. Anything a hostile
 * or buggy producer could put there (duplicates, text, negative or huge numbers, due times far in
 * the future) raises ControlHeaderError, which dead-letters the record instead of crashing or
 * stalling the partition. Missing headers get safe defaults (a replayed record may carry none).
 */
export function readRetryControl(
  headers: IHeaders,
  self: { partition: number; offset: string; timestamp: string },
  bounds: ControlBounds,
): RetryControl {
  const topic = text(headers, Header.originalTopic)
  if (topic !== undefined && topic !== bounds.topic) {
    fail(
      Header.originalTopic,
      `names ${JSON.stringify(topic.slice(0, 260))}, not this retry topic's ${bounds.topic}`,
    )
  }
  const partition = integer(headers, Header.originalPartition, 0, 1_000_000)
  const offsetText = text(headers, Header.originalOffset)
  if (offsetText !== undefined && !/^\d{1,19}$/.test(offsetText)) {
    fail(Header.originalOffset, `is not an offset: ${JSON.stringify(offsetText.slice(0, 40))}`)
  }
  const timestamp = integer(headers, Header.originalTimestamp, 0, maxEpochMs)
  const attempts = integer(headers, Header.attempts, 0, maxAttempts) ?? 0
  const firstFailureAt = integer(headers, Header.firstFailureAt, 0, maxEpochMs)
  const latestDue = bounds.now + bounds.maxDelayMs + clockSkewMs
  const dueAt = integer(headers, Header.retryDueAt, 0, maxEpochMs)
  if (dueAt !== undefined && dueAt > latestDue) {
    fail(
      Header.retryDueAt,
      `is ${dueAt}, more than the longest retry delay (${bounds.maxDelayMs} ms) ahead of now`,
    )
  }
  return {
    origin: {
      topic: bounds.topic,
      partition: partition ?? self.partition,
      offset: offsetText ?? self.offset,
      timestamp: timestamp === undefined ? self.timestamp : String(timestamp),
    },
    attempts,
    firstFailureAt,
    dueAt,
  }
}
