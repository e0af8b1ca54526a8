import { performance } from 'node:perf_hooks'

interface Waiting {
  readonly due: number
  readonly expire: () => void
}

/**
 * Bounds how long requests wait for their acknowledgement with one shared timer rather than one
 * `setTimeout` per request (a timer per request was a visible share of the gateway's CPU). Every
 * wait has the same timeout, so the set stays in due order and a sweep stops at the first wait not
 * yet due. Precision is one tick: a tenth of the timeout, between 10 and 100 ms.
 */
export class Deadlines {
  readonly #timeoutMs: number
  readonly #tickMs: number
  readonly #waiting = new Set<Waiting>()
  #timer: NodeJS.Timeout | undefined

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
    this.#tickMs = Math.max(10, Math.min(100, timeoutMs / 10))
  }

  /** `promise`, or a rejection with `timedOut()` once the timeout passed without it settling. */
  bound<T>(promise: Promise<T>, timedOut: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { due: performance.now() + this.#timeoutMs, expire: () => reject(timedOut()) }
      this.#waiting.add(waiting)
      this.#timer ??= setInterval(() => this.#sweep(), this.#tickMs).unref()
      promise.then(
        (value) => {
          this.#waiting.delete(waiting)
          resolve(value)
        },
        (error: unknown) => {
          this.#waiting.delete(waiting)
          reject(error)
        },
      )
    })
  }

  #sweep(): void {
    const now = performance.now()
    for (const waiting of this.#waiting) {
      if (waiting.due > now) break
      this.#waiting.delete(waiting)
      waiting.expire()
    }
    if (this.#waiting.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }
}
