import type { IHeaders } from 'kafkajs'
import { allHeaders, Header, headerPrefix, ReplayHeader } from '#libs/kafka'
import { headerText, type RawRecord } from '../read/dlt-record.ts'

export { ReplayHeader }

export const ReplayTarget = { retry: 'retry', original: 'original' } as const
export type ReplayTarget = (typeof ReplayTarget)[keyof typeof ReplayTarget]

// Reset for a fresh attempt cycle in the retry topic: due now, no attempts spent, no failure times.
const resetOnRetry: ReadonlySet<string> = new Set([
  Header.retryDueAt,
  Header.retryTier,
  Header.firstFailureAt,
  Header.lastFailureAt,
  Header.attempts,
])
const contextHeaders: ReadonlySet<string> = new Set(allHeaders)

/**
 * The replayed record's headers. To the group's retry topic: the dead-letter headers minus the
 * attempt and due-time ones (the runtime reads missing ones as "due now, 0 attempts"), and minus the
 * `eb.original.*` coordinates when they do not name the source topic (the runtime would refuse
 * them). To the original topic: the headers the record had before it failed, without any `eb.*`
 * context, since every group reads it there. Both: the replay headers.
 */
export function replayHeaders(
  record: RawRecord,
  replay: { jobId: string; by: string; at: number; target: ReplayTarget; sourceTopic: string },
): IHeaders {
  const headers: IHeaders = {}
  const originalTopic = headerText(record.headers, Header.originalTopic)
  const dropOrigin = originalTopic !== replay.sourceTopic
  // Runs once per replayed record: plain loops and set lookups, header values passed on as read.
  const dropped = replay.target === ReplayTarget.original ? contextHeaders : resetOnRetry
  for (const name in record.headers) {
    const value = record.headers[name]
    if (value === undefined || dropped.has(name) || name.startsWith(headerPrefix.replay)) continue
    if (dropOrigin && name.startsWith(headerPrefix.original)) continue
    headers[name] = value
  }
  const previous = Number(headerText(record.headers, ReplayHeader.count) ?? '0')
  headers[ReplayHeader.id] = replay.jobId
  headers[ReplayHeader.by] = replay.by
  headers[ReplayHeader.at] = String(replay.at)
  headers[ReplayHeader.count] = String((Number.isSafeInteger(previous) && previous >= 0 ? previous : 0) + 1)
  headers[ReplayHeader.dltTopic] = record.topic
  headers[ReplayHeader.dltPartition] = String(record.partition)
  headers[ReplayHeader.dltOffset] = record.offset
  return headers
}

/** True when this job already replayed the record (it failed again and came back). */
export function replayedBy(record: RawRecord, jobId: string): boolean {
  return headerText(record.headers, ReplayHeader.id) === jobId
}
