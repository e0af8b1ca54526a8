import type { TriggerCost } from '../config/types.ts'

/**
 * A serverless platform's bill for one invocation: the request price plus memory × billed duration
 * (rounded up to the millisecond, as Lambda bills) × the GB-second price. An estimate: the duration
 * is what the trigger measured, including the network, so it is an upper bound of the function's.
 */
export function invocationCost(cost: TriggerCost, durationMs: number): { gbSeconds: number; usd: number } {
  const billedSeconds = Math.max(1, Math.ceil(durationMs)) / 1000
  const gbSeconds = (cost.memoryMb / 1024) * billedSeconds
  return { gbSeconds, usd: cost.pricePerMillionInvocations / 1_000_000 + gbSeconds * cost.pricePerGbSecond }
}
