/**
 * Which publishes have not settled yet, for `flush()`: "everything accepted so far", not "nothing
 * pending", so a flush under steady load still ends. Ids increase and a Set iterates in insertion
 * order, so its first element is the oldest unsettled publish.
 */
export class SettlementTracker {
  #next = 0
  readonly #open = new Set<number>()
  #waiters: Array<{ readonly upTo: number; readonly resolve: () => void }> = []

  get unsettled(): number {
    return this.#open.size
  }

  /** Someone waits in `whenSettled`: batches should go without lingering. */
  get awaited(): boolean {
    return this.#waiters.length > 0
  }

  open(): number {
    const id = this.#next++
    this.#open.add(id)
    return id
  }

  settle(id: number): void {
    if (!this.#open.delete(id) || this.#waiters.length === 0) return
    const oldest = this.#open.values().next()
    const floor = oldest.done ? Number.POSITIVE_INFINITY : oldest.value
    const still = []
    for (const waiter of this.#waiters) {
      if (waiter.upTo < floor) waiter.resolve()
      else still.push(waiter)
    }
    this.#waiters = still
  }

  /** Resolves once every publish opened before this call has settled. */
  whenSettled(): Promise<void> {
    if (this.#open.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({ upTo: this.#next - 1, resolve }))
  }
}
