import type { Kafka } from 'kafkajs'
import type { ReplayJobState } from '../replay/job.ts'
import { defaultReplayTopics, type ReplayTopics, readAll } from '../replay/store.ts'

export const AuditEvent = {
  created: 'created',
  started: 'started',
  resumed: 'resumed',
  paused: 'paused',
  cancelled: 'cancelled',
  finished: 'finished',
  failed: 'failed',
} as const
export type AuditEvent = (typeof AuditEvent)[keyof typeof AuditEvent]

/** One line of the audit trail: who did what to which job, with its selection and counts then. */
export interface AuditRecord {
  readonly jobId: string
  readonly event: AuditEvent
  readonly by: string
  readonly at: number
  readonly topic: string
  readonly target: string
  readonly targetTopic: string
  readonly selection: unknown
  readonly counts: ReplayJobState['counts']
}

export function auditRecord(
  state: ReplayJobState,
  event: AuditEvent,
  by: string,
  at = Date.now(),
): AuditRecord {
  return {
    jobId: state.spec.id,
    event,
    by,
    at,
    topic: state.spec.topic,
    target: state.spec.target,
    targetTopic: state.spec.targetTopic,
    selection: state.spec.selection,
    counts: state.counts,
  }
}

export function auditMessage(record: AuditRecord) {
  return { key: record.jobId, value: JSON.stringify(record) }
}

/** The audit trail, oldest first; `jobId` narrows it to one job. */
export async function readAudit(
  kafka: Kafka,
  options: { jobId?: string; topics?: ReplayTopics } = {},
): Promise<AuditRecord[]> {
  const entries = await readAll(kafka, (options.topics ?? defaultReplayTopics).audit)
  return entries
    .map((entry) => entry.value as AuditRecord)
    .filter((record) => record && typeof record.jobId === 'string')
    .filter((record) => options.jobId === undefined || record.jobId === options.jobId)
}
