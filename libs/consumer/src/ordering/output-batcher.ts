import { type AtLeastOnceDeps, isPermanentProduceError, produce } from '../runtime/alo-output.ts'
import { Outbox } from '../runtime/outbox.ts'
import type { FetchedRecord, ProcessorEnv } from '../runtime/process-record.ts'

interface Waiting {
  readonly fetched: FetchedRecord
  readonly outbox: Outbox
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
}

/**
 * At-least-once outputs of concurrently finishing records, coalesced: one `sendBatch` in flight at
 * a time carries everything that finished meanwhile, and each record waits for the send that holds
 * its outputs. The runtime's producer allows one request in flight (idempotent, ordered), so 256
 * records sending one by one would queue behind each other's round trips (about 1–2 ms each on
 * loopback: at most ~700 records/s with outputs). A record's key successor starts only after its
 * send resolved, so a key's outputs keep their order.
 */
export class OutputBatcher {
  readonly #deps: AtLeastOnceDeps
  readonly #env: ProcessorEnv
  #queue: Waiting[] = []
  #sending = false

  constructor(deps: AtLeastOnceDeps, env: ProcessorEnv) {
    this.#deps = deps
    this.#env = env
  }

  send(fetched: FetchedRecord, outbox: Outbox): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ fetched, outbox, resolve, reject })
      if (!this.#sending) void this.#drain()
    })
  }

  async #drain(): Promise<void> {
    this.#sending = true
    while (this.#queue.length > 0) {
      const items = this.#queue
      this.#queue = []
      const merged = new Outbox()
      for (const item of items) merged.addAll(item.outbox)
      try {
        await this.#deps.producer.sendBatch({ topicMessages: merged.drain(), acks: -1 })
        for (const item of items) item.resolve()
      } catch (error) {
        if (!isPermanentProduceError(error)) {
          for (const item of items) item.reject(error)
          continue
        }
        // Some record's outputs can never be written: each on its own, so only that record is
        // dead-lettered (stage produce) and the others' outputs still go out.
        await Promise.all(
          items.map((item) =>
            produce(this.#deps, this.#env, item.fetched, item.outbox).then(item.resolve, item.reject),
          ),
        )
      }
    }
    this.#sending = false
  }
}
