const kValues = Symbol('values')
const kPending = Symbol('pending')

/**
 * A cache of values that take a request to load. Concurrent callers of one missing key share one
 * in-flight load; a failed load is forgotten, so the next caller tries again.
 */
export class AsyncMemo<K, V> {
  readonly [kValues] = new Map<K, V>()
  readonly [kPending] = new Map<K, Promise<V>>()

  /** The cached value, or undefined; lets hot paths skip a promise when the value is known. */
  peek(key: K): V | undefined {
    return this[kValues].get(key)
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    const values = this[kValues]
    if (values.has(key)) return Promise.resolve(values.get(key) as V)
    let pending = this[kPending].get(key)
    if (pending === undefined) {
      pending = load().then(
        (value) => {
          values.set(key, value)
          this[kPending].delete(key)
          return value
        },
        (error: unknown) => {
          this[kPending].delete(key)
          throw error
        },
      )
      this[kPending].set(key, pending)
    }
    return pending
  }

  get size(): number {
    return this[kValues].size
  }
}
