import type { ResolvedPolicy } from '../policy/types.ts'

/**
 * Delay before in-process retry number `retry` (1-based): exponential from the initial delay,
 * randomised by ±jitter, never above the cap.
 */
export function backoffDelay(policy: ResolvedPolicy['retry'], retry: number, random = Math.random): number {
  const base = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * policy.multiplier ** Math.max(0, retry - 1),
  )
  const spread = base * policy.jitter * (random() * 2 - 1)
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(base + spread)))
}

/**
 * The in-process delay before retry number `retry` after `error`: the back-off, or longer when the
 * error says when the other side wants to be asked again (a `retryAfterMs` number, e.g. from an
 * HTTP `Retry-After`), capped at the policy's `maxDelay` so a hostile header cannot stall a partition.
 */
export function retryDelay(
  policy: ResolvedPolicy['retry'],
  retry: number,
  error: unknown,
  random = Math.random,
): number {
  const backoff = backoffDelay(policy, retry, random)
  const hint = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs
  if (typeof hint !== 'number' || !Number.isFinite(hint) || hint <= backoff) return backoff
  return Math.min(policy.maxDelayMs, Math.ceil(hint))
}
