import type { RetryOptions } from 'kafkajs'

/**
 * The default time a client keeps retrying a retriable error (leader not available, not leader for
 * partition, a broker gone) before it gives up. A dead broker is fenced after
 * `broker.session.timeout.ms` (9 s by default) and its partitions then get new leaders; kafkajs's
 * own default (5 retries from 300 ms, about 9 s in all with jitter, often less) gives up around
 * the same moment, so a leader failover surfaced as failed publishes and crashed consumers. 30 s
 * covers fencing, election and a metadata refresh with room to spare.
 */
export const defaultRetryBudgetMs = 30_000

const initialRetryTime = 100
const multiplier = 2
/** No wait longer than this: a new leader is used within a few seconds of its election. */
const maxRetryTime = 5_000

/** The waits kafkajs makes between attempts under `retry`, without its ±20 % jitter. */
export function retryWaits(retry: RetryOptions): number[] {
  const waits: number[] = []
  let wait = retry.initialRetryTime ?? 300
  for (let attempt = 0; attempt < (retry.retries ?? 5); attempt++) {
    waits.push(wait)
    wait = Math.min(wait * (retry.multiplier ?? 2), retry.maxRetryTime ?? 30_000)
  }
  return waits
}

/**
 * kafkajs retry options whose waits add up to at least `budgetMs`: exponential from 100 ms, each
 * wait at most 5 s, as many retries as the budget needs.
 */
export function retryWithinBudget(budgetMs: number): RetryOptions {
  let retries = 0
  let total = 0
  let wait = initialRetryTime
  while (total < budgetMs) {
    total += wait
    retries += 1
    wait = Math.min(wait * multiplier, maxRetryTime)
  }
  return { initialRetryTime, multiplier, maxRetryTime, retries }
}
