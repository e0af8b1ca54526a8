import { DlqJobStateError } from '@event-backbone/errors'
import type { EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import {
  cancelJob,
  fractionDone,
  type ReplayJobSpec,
  type ReplayJobState,
  type ReplayRun,
  type ReplayTopics,
  readJobs,
  startReplay,
} from '#libs/dlq'
import type { Logger, ReplaySample } from '#libs/observability'

export interface JobView extends ReplayJobState {
  readonly fraction: number
  /** Runs in this console process (pause, resume and cancel act at once). */
  readonly live: boolean
}

function view(state: ReplayJobState, live: boolean): JobView {
  return { ...state, fraction: fractionDone(state), live }
}

/** The replay jobs this console runs, plus the committed state of every job from the jobs topic. */
export class JobManager {
  readonly #runs = new Map<string, ReplayRun>()
  readonly #kafka: Kafka
  readonly #serde: EventSerde | undefined
  readonly #topics: ReplayTopics | undefined
  readonly #logger: Logger

  constructor(options: {
    kafka: Kafka
    serde?: EventSerde | undefined
    topics?: ReplayTopics | undefined
    logger: Logger
  }) {
    this.#kafka = options.kafka
    this.#serde = options.serde
    this.#topics = options.topics
    this.#logger = options.logger
  }

  start(spec: ReplayJobSpec): ReplayRun {
    const run = startReplay({
      kafka: this.#kafka,
      spec,
      ...(this.#serde ? { serde: this.#serde } : {}),
      ...(this.#topics ? { topics: this.#topics } : {}),
    })
    this.#runs.set(spec.id, run)
    run.done.then(
      (state) =>
        this.#logger.info({ jobId: spec.id, status: state.status, counts: state.counts }, 'replay job ended'),
      (error) => this.#logger.error({ err: error, jobId: spec.id }, 'replay job failed; resumable'),
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

  /** The jobs this console ran since it started, as their runners last committed them (for metrics). */
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

  control(id: string, action: 'pause' | 'resume', by: string): void {
    const run = this.#runs.get(id)
    if (!run) throw new DlqJobStateError(`job ${id} does not run in this console`, { context: { jobId: id } })
    if (action === 'pause') run.pause(by)
    else run.resume(by)
  }

  async cancel(id: string, by: string): Promise<void> {
    const run = this.#runs.get(id)
    if (run) {
      run.cancel(by)
      await run.done.catch(() => {})
      return
    }
    await cancelJob({ kafka: this.#kafka, jobId: id, by, ...(this.#topics ? { topics: this.#topics } : {}) })
  }

  /** Stops every running job at its next chunk: progress so far is committed, the job resumable. */
  async stop(): Promise<void> {
    for (const run of this.#runs.values()) run.stop()
    await Promise.allSettled([...this.#runs.values()].map((run) => run.done))
  }
}
