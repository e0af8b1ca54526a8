import type { Consumer } from 'kafkajs'

/**
 * Holds a partition whose next record is not due yet: the partition is paused (fetches skip it, the
 * other partitions and topics keep flowing) and a timer resumes it at the due time. The record was
 * never resolved, so the next fetch after resume starts at it again: no seek, no busy polling.
 */
export class Pauser {
  readonly #consumer: Consumer
  readonly #timers = new Map<string, NodeJS.Timeout>()

  constructor(consumer: Consumer) {
    this.#consumer = consumer
  }

  pauseUntil(topic: string, partition: number, dueAt: number): void {
    const key = `${topic}\u0000${partition}`
    clearTimeout(this.#timers.get(key))
    this.#consumer.pause([{ topic, partitions: [partition] }])
    const timer = setTimeout(
      () => {
        this.#timers.delete(key)
        try {
          this.#consumer.resume([{ topic, partitions: [partition] }])
        } catch {
          // The consumer stopped or is restarting: a fresh run fetches the record again anyway.
        }
      },
      Math.max(0, dueAt - Date.now()),
    )
    this.#timers.set(key, timer)
  }

  /** Partitions currently held, for diagnostics and tests. */
  get held(): number {
    return this.#timers.size
  }

  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer)
    this.#timers.clear()
  }
}
