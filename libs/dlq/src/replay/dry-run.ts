import type { EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import { Header } from '#libs/kafka'
import { type InspectedRecord, inspectRecord, selectRecord } from '../inspect/inspect.ts'
import { scanRanges } from '../read/scan.ts'
import { requireDecoderFor } from '../select/selection.ts'
import { replayedBy } from './headers.ts'
import type { ReplayJobSpec } from './job.ts'
import { defaultReplayTopics, type ReplayTopics, readJobs } from './store.ts'

export interface DryRunReport {
  readonly spec: ReplayJobSpec
  readonly scanned: number
  /** Records the job would write, all to `spec.targetTopic`. */
  readonly wouldReplay: number
  readonly byErrorClass: Record<string, number>
  readonly sample: { readonly record: InspectedRecord; readonly to: string }[]
  /** Earlier jobs on this dead-letter topic whose offsets overlap: replaying again is a new job. */
  readonly overlappingJobs: { id: string; status: string; createdBy: string; createdAt: number }[]
}

/** Counts and samples what a job would replay, and where; writes nothing. */
export async function dryRun(options: {
  readonly kafka: Kafka
  readonly serde?: EventSerde
  readonly spec: ReplayJobSpec
  readonly sampleSize?: number
  readonly topics?: ReplayTopics
}): Promise<DryRunReport> {
  const { spec } = options
  const sampleSize = options.sampleSize ?? 5
  requireDecoderFor(spec.selection, options.serde)
  let scanned = 0
  let wouldReplay = 0
  const byErrorClass: Record<string, number> = {}
  const sample: DryRunReport['sample'] = []
  await scanRanges(options.kafka, spec.topic, spec.ranges, {
    onRecords: async (_partition, records) => {
      for (const record of records) {
        scanned += 1
        if (replayedBy(record, spec.id)) continue
        const selected = await selectRecord(spec.selection, options.serde, record)
        if (!selected.matches) continue
        wouldReplay += 1
        const errorClass = record.headers[Header.errorClass]?.toString() ?? 'unknown'
        byErrorClass[errorClass] = (byErrorClass[errorClass] ?? 0) + 1
        if (sample.length < sampleSize) {
          sample.push({
            record: await inspectRecord(options.serde, record, selected.decoded),
            to: spec.targetTopic,
          })
        }
      }
      return true
    },
  })
  const jobs = await readJobs(options.kafka, options.topics ?? defaultReplayTopics).catch(() => [])
  const overlappingJobs = jobs
    .filter((job) => job.spec.topic === spec.topic && job.spec.id !== spec.id)
    .filter((job) =>
      job.spec.ranges.some((a) =>
        spec.ranges.some(
          (b) =>
            a.partition === b.partition && BigInt(a.from) < BigInt(b.to) && BigInt(b.from) < BigInt(a.to),
        ),
      ),
    )
    .map((job) => ({
      id: job.spec.id,
      status: job.status,
      createdBy: job.spec.createdBy,
      createdAt: job.spec.createdAt,
    }))
  return { spec, scanned, wouldReplay, byErrorClass, sample, overlappingJobs }
}
