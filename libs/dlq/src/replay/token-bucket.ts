import { setTimeout as sleep } from 'node:timers/promises'

/** Records per second with a one-second burst; `take` waits until the tokens are there. */
export class TokenBucket {
  #rate: number
  #tokens: number
  #last = Date.now()

  constructor(ratePerSecond: number) {
    this.#rate = ratePerSecond
    this.#tokens = ratePerSecond
  }

  async take(count: number, wait: (ms: number) => Promise<void> = (ms) => sleep(ms)): Promise<void> {
    let needed = count
    while (needed > 0) {
      const now = Date.now()
      this.#tokens = Math.min(this.#rate, this.#tokens + ((now - this.#last) / 1000) * this.#rate)
      this.#last = now
      const granted = Math.min(needed, Math.floor(this.#tokens))
      this.#tokens -= granted
      needed -= granted
      if (needed > 0)
        await wait(
          Math.max(5, Math.ceil(((Math.min(needed, this.#rate) - this.#tokens) / this.#rate) * 1000)),
        )
    }
  }
}
