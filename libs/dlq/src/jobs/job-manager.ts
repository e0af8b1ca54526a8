import { DlqJobStateError } from '@event-backbone/errors'
import type { EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import type { Logger, ReplaySample } from '#libs/observability'
import { finalStatuses, fractionDone, type ReplayJobSpec, type ReplayJobState } from '../replay/job.ts'
import { cancelJob, type ReplayRun, startReplay } from '../replay/replayer.ts'
import { type ReplayTopics, readJobs } from '../replay/store.ts'

export interface JobView extends ReplayJobState {
  readonly fraction: number
  /** Runs in this process (pause acts at once; elsewhere a job can only be cancelled or resumed here). */
  readonly live: boolean
}

export const JobAction = { pause: 'pause', resume: 'resume', cancel: 'cancel' } as const
export type JobAction = (typeof JobAction)[keyof typeof JobAction]

function view(state: ReplayJobState, live: boolean): JobView {
  return { ...state, fraction: fractionDone(state), live }
}

/**
 * The one place that starts, pauses, resumes and cancels replay jobs: the console and
 * `backbone dlq replay|jobs` both go through it. Job state lives where the replayer commits it
 * (the compacted jobs topic, with an audit record per transition), so a job started by the CLI
 * shows in the console and the other way round.
 *
 * - pause: only a job running in this process (there is no control channel to another replayer);
 * - resume: a live paused job continues; a job paused or stopped elsewhere (status paused, created
 *   or running with no live runner here) is taken over and resumed in this process;
 * - cancel: a live job stops at its next chunk; any other job is fenced through its transactional id.
 */
export class JobManager {
  readonly #runs = new Map<string, ReplayRun>()
  /** Runs whose `done` settled: nothing left to pause or resume in this process. */
  readonly #ended = new WeakSet<ReplayRun>()
  readonly #kafka: Kafka
  readonly #serde: EventSerde | undefined
  readonly #topics: ReplayTopics | undefined
  readonly #logger: Logger | undefined
  readonly #chunkSize: number | undefined

  constructor(options: {
    kafka: Kafka
    serde?: EventSerde | undefined
    topics?: ReplayTopics | undefined
    logger?: Logger | undefined
    /** Records per transaction (tests use small chunks to see progress between chunks). */
    chunkSize?: number | undefined
  }) {
    this.#kafka = options.kafka
    this.#serde = options.serde
    this.#topics = options.topics
    this.#logger = options.logger
    this.#chunkSize = options.chunkSize
  }

  /** Starts a new job (`spec`) or resumes a committed one (`jobId`) in this process. */
  start(job: { spec: ReplayJobSpec } | { jobId: string; by: string }): ReplayRun {
    const run = startReplay({
      kafka: this.#kafka,
      ...('spec' in job ? { spec: job.spec } : { jobId: job.jobId, by: job.by }),
      ...(this.#serde ? { serde: this.#serde } : {}),
      ...(this.#topics ? { topics: this.#topics } : {}),
      ...(this.#chunkSize ? { chunkSize: this.#chunkSize } : {}),
    })
    this.#runs.set(run.id, run)
    void run.done.finally(() => this.#ended.add(run)).catch(() => {})
    run.done.then(
      (state) =>
        this.#logger?.info({ jobId: run.id, status: state.status, counts: state.counts }, 'replay job ended'),
      (error) => this.#logger?.error({ err: error, jobId: run.id }, 'replay job failed; resumable'),
    )
    return run
  }

  async list(): Promise<JobView[]> {
    const committed = await readJobs(this.#kafka, ...(this.#topics ? [this.#topics] : []))
    return committed.map((state) => this.#latest(state))
  }

  async get(id: string): Promise<JobView | undefined> {
    const run = this.#runs.get(id)
    if (run) return view(run.state ?? run.initial, true)
    return (await this.list()).find((job) => job.spec.id === id)
  }

  #latest(state: ReplayJobState): JobView {
    const run = this.#runs.get(state.spec.id)
    return run?.state ? view(run.state, true) : view(state, false)
  }

  /** The jobs this process ran since it started, as their runners last committed them (for metrics). */
  samples(): ReplaySample[] {
    return [...this.#runs.values()].map((run) => {
      const state = run.state ?? run.initial
      return {
        id: state.spec.id,
        topic: state.spec.topic,
        status: state.status,
        fraction: fractionDone(state),
        counts: state.counts,
      }
    })
  }

  /** Pause, resume or cancel; throws EB_DLQ_JOB_STATE when the job cannot do it now. */
  async control(id: string, action: JobAction, by: string): Promise<void> {
    if (action === JobAction.cancel) return this.cancel(id, by)
    const run = this.#live(id)
    if (action === JobAction.pause) {
      if (!run)
        throw new DlqJobStateError(
          `job ${id} does not run in this process; only its runner can pause it (cancel works anywhere)`,
          { context: { jobId: id } },
        )
      run.pause(by)
      return
    }
    if (run) {
      run.resume(by)
      return
    }
    const committed = await this.get(id)
    if (!committed)
      throw new DlqJobStateError(`no replay job ${JSON.stringify(id)} to resume`, { context: { jobId: id } })
    if (finalStatuses.includes(committed.status))
      throw new DlqJobStateError(`job ${id} is already ${committed.status}`, { context: { jobId: id } })
    this.start({ jobId: id, by })
  }

  async cancel(id: string, by: string): Promise<void> {
    const run = this.#live(id)
    if (run) {
      run.cancel(by)
      await run.done.catch(() => {})
      return
    }
    await cancelJob({ kafka: this.#kafka, jobId: id, by, ...(this.#topics ? { topics: this.#topics } : {}) })
  }

  /** A run of this process that has not ended yet. */
  #live(id: string): ReplayRun | undefined {
    const run = this.#runs.get(id)
    return run && !this.#ended.has(run) ? run : undefined
  }

  /** Stops every running job at its next chunk: progress so far is committed, the job resumable. */
  async stop(): Promise<void> {
    for (const run of this.#runs.values()) run.stop()
    await Promise.allSettled([...this.#runs.values()].map((run) => run.done))
  }
}
