import type { PolicyInput } from '@event-backbone/client'
import { envDurationList, envDurationMs, envInt } from '#libs/service'

/**
 * At-least-once with patience: two quick in-process retries, then the group's retry tiers, then the
 * dead-letter topic. Tier delays are env-overridable so the demo and tests can use short ones.
 * Processing an upload waits on storage (I/O-bound), so uploads run key-ordered: different uploads
 * at once, the records of one upload (its key, uploadId) in order.
 */
export function uploadPolicy(env: NodeJS.ProcessEnv): PolicyInput {
  const timeoutMs = envDurationMs(env, 'UPLOAD_HANDLER_TIMEOUT', 0)
  return {
    guarantee: 'at-least-once',
    ordering: 'key',
    maxInFlight: envInt(env, 'UPLOAD_MAX_IN_FLIGHT', 64, { min: 1, max: 10_000 }),
    ...(timeoutMs > 0 ? { handlerTimeout: timeoutMs } : {}),
    retry: {
      attempts: envInt(env, 'UPLOAD_RETRY_ATTEMPTS', 2, { max: 100 }),
      initialDelay: envDurationMs(env, 'UPLOAD_RETRY_INITIAL_DELAY', 200),
    },
    retryTopics: envDurationList(env, 'UPLOAD_RETRY_TIERS', [5_000, 30_000]),
    deadLetter: true,
  }
}
