/**
 * Runs `work` for every item, at most `limit` at a time, and settles when all have. Measuring every
 * group or dead-letter topic of a cluster one after another costs a round trip each; all at once
 * would open a burst of requests (and consumers) against the brokers. `work` handles its own errors:
 * the first one it throws rejects the whole, as with Promise.all.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
