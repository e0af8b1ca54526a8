/**
 * Heartbeats on a timer while a batch runs, so a member whose handlers take longer than the session
 * timeout stays in the group (kafkajs heartbeats only when the batch asks, and a 60 s handler never
 * asks). kafkajs sends at most one heartbeat per `heartbeatInterval`, so ticking more often costs
 * nothing. A failed heartbeat (typically REBALANCE_IN_PROGRESS) is kept for the batch to act on: it
 * stops starting records, commits what finished and rethrows it, so kafkajs rejoins.
 */
export class KeepAlive {
  readonly #timer: NodeJS.Timeout
  #error: unknown

  constructor(heartbeat: () => Promise<void>, everyMs = 500) {
    this.#timer = setInterval(() => {
      heartbeat().catch((error: unknown) => {
        this.#error ??= error
      })
    }, everyMs)
    this.#timer.unref()
  }

  /** The first heartbeat failure, if any. */
  get error(): unknown {
    return this.#error
  }

  get failed(): boolean {
    return this.#error !== undefined
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}
