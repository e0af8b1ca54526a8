import { DlqJobNotFoundError } from '@event-backbone/errors'
import type { Kafka } from 'kafkajs'
import { ensureTopics, fixedTopic, TopicFamily } from '#libs/kafka'
import { scanRanges, topicBounds } from '../read/scan.ts'
import type { ReplayJobState } from './job.ts'

export interface ReplayTopics {
  readonly jobs: string
  readonly audit: string
}

export const defaultReplayTopics: ReplayTopics = {
  jobs: fixedTopic.replayJobs,
  audit: fixedTopic.replayAudit,
}

/** The jobs topic is compacted (the latest state per job); the audit topic keeps everything a year. */
export async function ensureReplayTopics(
  kafka: Kafka,
  topics: ReplayTopics = defaultReplayTopics,
): Promise<void> {
  const admin = kafka.admin()
  await admin.connect()
  try {
    await ensureTopics(admin, [
      {
        topic: topics.jobs,
        family: TopicFamily.replayJobs,
        numPartitions: 1,
        configs: { 'cleanup.policy': 'compact' },
      },
      {
        topic: topics.audit,
        family: TopicFamily.replayAudit,
        numPartitions: 1,
        configs: { 'retention.ms': String(365 * 24 * 3_600_000) },
      },
    ])
  } finally {
    await admin.disconnect()
  }
}

/** Every record of a single-partition bookkeeping topic, read_committed, in order. */
export async function readAll(kafka: Kafka, topic: string): Promise<{ key: string; value: unknown }[]> {
  const admin = kafka.admin()
  await admin.connect()
  const exists = await admin.listTopics().then(
    (topics) => topics.includes(topic),
    () => false,
  )
  await admin.disconnect()
  if (!exists) return []
  const bounds = await topicBounds(kafka, topic)
  const out: { key: string; value: unknown }[] = []
  await scanRanges(
    kafka,
    topic,
    bounds.map((bound) => ({ partition: bound.partition, from: bound.low, to: bound.high })),
    {
      onRecords: (_partition, records) => {
        for (const record of records) {
          if (record.key === null || record.value === null) continue
          try {
            out.push({ key: record.key.toString('utf8'), value: JSON.parse(record.value.toString('utf8')) })
          } catch {
            // Not ours: the topic is shared by name only; skip what does not parse.
          }
        }
        return true
      },
    },
  )
  return out
}

/** The latest committed state of every job. */
export async function readJobs(
  kafka: Kafka,
  topics: ReplayTopics = defaultReplayTopics,
): Promise<ReplayJobState[]> {
  const latest = new Map<string, ReplayJobState>()
  for (const entry of await readAll(kafka, topics.jobs)) {
    const state = entry.value as ReplayJobState
    if (state?.spec?.id === entry.key) latest.set(entry.key, state)
  }
  return [...latest.values()].sort((a, b) => a.spec.createdAt - b.spec.createdAt)
}

export async function readJob(
  kafka: Kafka,
  id: string,
  topics: ReplayTopics = defaultReplayTopics,
): Promise<ReplayJobState> {
  const job = (await readJobs(kafka, topics)).find((state) => state.spec.id === id)
  if (!job)
    throw new DlqJobNotFoundError(`no replay job ${JSON.stringify(id)} in ${topics.jobs}`, {
      context: { jobId: id },
    })
  return job
}

export function jobMessage(state: ReplayJobState) {
  return { key: state.spec.id, value: JSON.stringify(state) }
}
