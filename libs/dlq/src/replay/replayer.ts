import { EventEmitter } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { DlqJobStateError } from '@event-backbone/errors'
import type { EventSerde } from '@event-backbone/serde'
import type { Kafka, Message, Producer } from 'kafkajs'
import { idPrefix, transactionalRetry } from '#libs/kafka'
import { AuditEvent, auditMessage, auditRecord } from '../audit/audit.ts'
import { selectRecord } from '../inspect/inspect.ts'
import type { RawRecord } from '../read/dlt-record.ts'
import { type ScanControl, scanRanges } from '../read/scan.ts'
import { matchesRaw, requireDecoderFor } from '../select/selection.ts'
import { ChunkQueue, encodedSizeBound } from './chunks.ts'
import { replayedBy, replayHeaders } from './headers.ts'
import { finalStatuses, initialState, JobStatus, type ReplayJobSpec, type ReplayJobState } from './job.ts'
import { type ReplayTrace, traceReplay } from './replay-spans.ts'
import { defaultReplayTopics, ensureReplayTopics, jobMessage, type ReplayTopics, readJob } from './store.ts'
import { targetLayout } from './target.ts'
import { TokenBucket } from './token-bucket.ts'

/**
 * A transaction's records in all, whatever the target's partition count: bounds the produce request
 * and the memory the reader may run ahead with (two transactions waiting, one committing).
 */
const maxTransactionBytes = 8 * 1024 * 1024

const defaultChunkSize = 5_000

export interface ReplayOptions {
  readonly kafka: Kafka
  readonly serde?: EventSerde
  /** A new job (from planReplay), or the id of one to resume. */
  readonly spec?: ReplayJobSpec
  readonly jobId?: string
  /** Who runs or resumes it (audit). Default: the job's creator. */
  readonly by?: string
  readonly topics?: ReplayTopics
  /**
   * Dead-letter records read per transaction, at most. Default 5 000 (never more than the rate
   * limit); the target's `max.message.bytes` per partition usually ends a chunk first.
   */
  readonly chunkSize?: number
}

/** The transactional id of a job: one per job, so a second replayer of the same job fences the first. */
export function replayTransactionalId(jobId: string): string {
  return `${idPrefix.replayTransaction}${jobId}`
}

/**
 * A running replay job. Every chunk of replayed records and the job's progress commit in one Kafka
 * transaction, so a replayer that dies resumes (`startReplay({ jobId })`) exactly after the last
 * committed chunk; the target topic's read_committed readers see each selected record once.
 */
export class ReplayRun extends EventEmitter<{ progress: [ReplayJobState] }> {
  readonly id: string
  readonly done: Promise<ReplayJobState>
  #state: ReplayJobState | undefined
  #paused = false
  #pausedBy = ''
  #cancelledBy: string | undefined
  #stopped = false
  #initial: ReplayJobState
  /** Wakes the committer waiting for records, so pause, cancel and stop are seen at once. */
  #nudge: () => void = () => {}

  constructor(options: ReplayOptions) {
    super()
    const id = options.spec?.id ?? options.jobId
    if (!id) throw new DlqJobStateError('startReplay needs a spec or a jobId')
    if (options.spec) requireDecoderFor(options.spec.selection, options.serde)
    this.id = id
    this.#initial = options.spec
      ? initialState(options.spec)
      : { ...initialState(placeholderSpec(id)), status: JobStatus.running }
    this.done = this.#execute(options)
    this.done.catch(() => {})
  }

  /** The job as it stands before this process commits anything (a new job: created, no progress). */
  get initial(): ReplayJobState {
    return this.#initial
  }

  get state(): ReplayJobState | undefined {
    return this.#state
  }

  pause(by: string): void {
    this.#paused = true
    this.#pausedBy = by
    this.#nudge()
  }

  resume(_by: string): void {
    this.#paused = false
  }

  /**
   * Stops this process's work at the next chunk without finishing the job: its committed progress
   * stays, and `startReplay({ jobId })` resumes it (a graceful shutdown of the console).
   */
  stop(): void {
    this.#stopped = true
    this.#nudge()
  }

  cancel(by: string): void {
    this.#cancelledBy = by
    this.#paused = false
    this.#nudge()
  }

  async #commit(
    producer: Producer,
    topics: ReplayTopics,
    state: ReplayJobState,
    messages: Message[],
    target: string,
    audit?: { event: AuditEvent; by: string },
  ) {
    const transaction = await producer.transaction()
    try {
      // One produce request for the records, the progress and the audit line.
      const topicMessages: { topic: string; messages: Message[] }[] = [
        { topic: topics.jobs, messages: [jobMessage(state)] },
      ]
      if (messages.length > 0) topicMessages.unshift({ topic: target, messages })
      if (audit) {
        topicMessages.push({
          topic: topics.audit,
          messages: [auditMessage(auditRecord(state, audit.event, audit.by))],
        })
      }
      await transaction.sendBatch({ acks: -1, topicMessages })
      await transaction.commit()
    } catch (error) {
      await transaction.abort().catch(() => {})
      throw error
    }
    this.#state = state
    this.emit('progress', state)
  }

  async #execute(options: ReplayOptions): Promise<ReplayJobState> {
    const { kafka } = options
    const topics = options.topics ?? defaultReplayTopics
    await ensureReplayTopics(kafka, topics)
    const producer = kafka.producer({
      transactionalId: replayTransactionalId(this.id),
      maxInFlightRequests: 1,
      idempotent: true,
      transactionTimeout: 60_000,
      retry: transactionalRetry,
    })
    // Connecting initialises the transactional id: a zombie replayer of this job is fenced and its
    // open transaction aborted before the job's committed progress is read below.
    await producer.connect()
    try {
      let state: ReplayJobState
      let event: AuditEvent
      if (options.spec) {
        state = initialState(options.spec)
        await this.#commit(producer, topics, state, [], options.spec.targetTopic, {
          event: AuditEvent.created,
          by: options.spec.createdBy,
        })
        event = AuditEvent.started
      } else {
        state = await readJob(kafka, this.id, topics)
        requireDecoderFor(state.spec.selection, options.serde)
        if (finalStatuses.includes(state.status)) {
          this.#state = state
          return state
        }
        event = AuditEvent.resumed
      }
      const by = options.by ?? state.spec.createdBy
      state = { ...state, status: JobStatus.running, updatedAt: Date.now() }
      await this.#commit(producer, topics, state, [], state.spec.targetTopic, { event, by })
      return await this.#replay(producer, options, topics, by)
    } finally {
      await producer.disconnect().catch(() => {})
    }
  }

  async #waitWhilePaused(producer: Producer, topics: ReplayTopics): Promise<void> {
    if (!this.#paused) return
    const state = this.#state!
    await this.#commit(
      producer,
      topics,
      { ...state, status: JobStatus.paused, updatedAt: Date.now() },
      [],
      state.spec.targetTopic,
      {
        event: AuditEvent.paused,
        by: this.#pausedBy,
      },
    )
    // The reader keeps the scan's group membership alive (it heartbeats while the queue is full).
    while (this.#paused && !this.#stopped) await sleep(200)
    if (this.#cancelledBy !== undefined || this.#stopped) return
    const now = this.#state!
    await this.#commit(
      producer,
      topics,
      { ...now, status: JobStatus.running, updatedAt: Date.now() },
      [],
      now.spec.targetTopic,
      {
        event: AuditEvent.resumed,
        by: this.#pausedBy,
      },
    )
  }

  async #replay(
    producer: Producer,
    options: ReplayOptions,
    topics: ReplayTopics,
    by: string,
  ): Promise<ReplayJobState> {
    const traced = traceReplay(this.#state!.spec, by)
    try {
      const state = await this.#replayRecords(producer, options, topics, by, traced)
      traced?.end({ state })
      return state
    } catch (error) {
      traced?.end({ error })
      throw error
    }
  }

  async #replayRecords(
    producer: Producer,
    options: ReplayOptions,
    topics: ReplayTopics,
    by: string,
    traced: ReplayTrace | undefined,
  ): Promise<ReplayJobState> {
    const spec = this.#state!.spec
    const rate = spec.ratePerSecond
    const bucket = rate === undefined ? undefined : new TokenBucket(rate)
    const chunkSize = Math.max(
      1,
      Math.min(
        options.chunkSize ?? defaultChunkSize,
        rate === undefined ? Infinity : Math.max(1, Math.floor(rate)),
      ),
    )
    const remaining = spec.ranges
      .map((range) => {
        const at = BigInt(this.#state!.progress[String(range.partition)] ?? range.from)
        return { ...range, from: String(at > BigInt(range.from) ? at : BigInt(range.from)) }
      })
      .filter((range) => BigInt(range.from) < BigInt(range.to))
    const target = await targetLayout(options.kafka, spec.targetTopic)
    const queue = new ChunkQueue({
      records: chunkSize,
      bytesPerPartition: target.maxBatchBytes,
      bytes: Math.max(target.maxBatchBytes, maxTransactionBytes),
    })
    const decodes = (spec.selection.where?.length ?? 0) > 0
    const context = {
      jobId: spec.id,
      by,
      at: Date.now(),
      target: spec.target,
      sourceTopic: spec.sourceTopic,
    }
    let halted = false
    let reading = true
    const halt = () => {
      halted = true
      queue.signal()
    }
    this.#nudge = () => queue.signal()

    // The committer: one transaction at a time (one producer, one transactional id), each taking
    // whatever the reader prepared meanwhile, so fetching and selecting overlap the commits.
    const commits = (async () => {
      try {
        for (;;) {
          await this.#waitWhilePaused(producer, topics)
          if (this.#cancelledBy !== undefined || this.#stopped) return halt()
          const chunk = queue.take()
          if (!chunk) {
            if (!reading || halted) return
            await queue.changed()
            continue
          }
          if (bucket && chunk.messages.length > 0) await bucket.take(chunk.messages.length)
          const before = this.#state!
          const progress: Record<string, string> = { ...before.progress }
          for (const [partition, next] of chunk.progress) progress[String(partition)] = next
          const counts = before.counts
          await this.#commit(
            producer,
            topics,
            {
              ...before,
              progress,
              counts: {
                scanned: counts.scanned + chunk.scanned,
                replayed: counts.replayed + chunk.replayed,
                unmatched: counts.unmatched + chunk.unmatched,
                skipped: counts.skipped + chunk.skipped,
              },
              updatedAt: Date.now(),
            },
            chunk.messages,
            spec.targetTopic,
          )
        }
      } catch (error) {
        halt()
        throw error
      }
    })()
    // Awaited once the scan is over; until then a failed commit must not count as unhandled.
    commits.catch(() => {})

    // The reader: fills the queue, waiting (and heartbeating) while the committer is behind.
    const read = async (partition: number, records: RawRecord[], control: ScanControl) => {
      for (const record of records) {
        while (!queue.room() && !halted) {
          await changedOrTimeout(queue, 1_000)
          await control.heartbeat()
        }
        if (halted) return false
        const selected = decodes
          ? (await selectRecord(spec.selection, options.serde, record)).matches
          : matchesRaw(spec.selection, record)
        if (!selected) {
          queue.add(partition, record.offset, 'unmatched')
        } else if (replayedBy(record, spec.id)) {
          queue.add(partition, record.offset, 'skipped')
        } else {
          const headers = replayHeaders(record, context)
          traced?.retrace(headers, record.headers)
          const message: Message = { key: record.key, value: record.value, headers }
          queue.add(
            partition,
            record.offset,
            'replayed',
            { ...message, partition: target.partitionOf(message) },
            encodedSizeBound(record.key, record.value, headers),
          )
        }
      }
      return !halted
    }
    try {
      await scanRanges(options.kafka, spec.topic, remaining, {
        // Big fetches: the reader runs ahead of the commits, which take what it prepared.
        maxBytesPerPartition: 8 * 1024 * 1024,
        onRecords: read,
      })
    } catch (error) {
      halt()
      await commits.catch(() => {})
      throw error
    } finally {
      reading = false
      queue.signal()
    }
    await commits
    const last = this.#state!
    if (this.#stopped && this.#cancelledBy === undefined) return last
    if (this.#cancelledBy !== undefined) {
      const cancelled = { ...last, status: JobStatus.cancelled, updatedAt: Date.now() }
      await this.#commit(producer, topics, cancelled, [], spec.targetTopic, {
        event: AuditEvent.cancelled,
        by: this.#cancelledBy,
      })
      return cancelled
    }
    const progress: Record<string, string> = { ...last.progress }
    for (const range of spec.ranges) progress[String(range.partition)] = range.to
    const finished = { ...last, status: JobStatus.done, progress, updatedAt: Date.now() }
    await this.#commit(producer, topics, finished, [], spec.targetTopic, { event: AuditEvent.finished, by })
    return finished
  }
}

/** The queue's next change, or after `ms` (so a waiting reader can heartbeat); leaves no timer behind. */
async function changedOrTimeout(queue: ChunkQueue, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      queue.changed(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

// A resumed job's spec is known only once its state is read from the jobs topic.
function placeholderSpec(id: string): ReplayJobSpec {
  return {
    id,
    topic: '',
    group: '',
    sourceTopic: '',
    target: 'retry',
    targetTopic: '',
    selection: {},
    ranges: [],
    ratePerSecond: undefined,
    createdBy: '',
    createdAt: Date.now(),
  }
}

export function startReplay(options: ReplayOptions): ReplayRun {
  return new ReplayRun(options)
}

/**
 * Cancels a job from any process: taking the job's transactional id fences a replayer that is still
 * running it (its next commit fails), then the cancelled state and the audit record commit together.
 */
export async function cancelJob(options: {
  kafka: Kafka
  jobId: string
  by: string
  topics?: ReplayTopics
}): Promise<ReplayJobState> {
  const topics = options.topics ?? defaultReplayTopics
  const producer = options.kafka.producer({
    transactionalId: replayTransactionalId(options.jobId),
    maxInFlightRequests: 1,
    idempotent: true,
  })
  await producer.connect()
  try {
    const state = await readJob(options.kafka, options.jobId, topics)
    if (finalStatuses.includes(state.status)) {
      throw new DlqJobStateError(`job ${options.jobId} is already ${state.status}`, {
        context: { jobId: options.jobId },
      })
    }
    const cancelled = { ...state, status: JobStatus.cancelled, updatedAt: Date.now() }
    const transaction = await producer.transaction()
    try {
      await transaction.send({ topic: topics.jobs, acks: -1, messages: [jobMessage(cancelled)] })
      await transaction.send({
        topic: topics.audit,
        acks: -1,
        messages: [auditMessage(auditRecord(cancelled, AuditEvent.cancelled, options.by))],
      })
      await transaction.commit()
    } catch (error) {
      await transaction.abort().catch(() => {})
      throw error
    }
    return cancelled
  } finally {
    await producer.disconnect().catch(() => {})
  }
}
