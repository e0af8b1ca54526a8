/** Limits how many partitions of one subscription are processed at once. */
export class Semaphore {
  #free: number
  readonly #waiting: Array<() => void> = []

  constructor(permits: number) {
    this.#free = permits
  }

  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--
    else await new Promise<void>((resolve) => this.#waiting.push(resolve))
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#waiting.shift()
      if (next) next()
      else this.#free++
    }
  }
}
