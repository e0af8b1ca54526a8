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
