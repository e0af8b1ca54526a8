import type { PolicyInput } from '@event-backbone/client'
import { envDurationList, envDurationMs, envInt } from '#libs/service'

/**
 * At-least-once with patience: two quick in-process retries, then the group's retry tiers, then the
 * dead-letter topic. Tier delays are env-overridable so the demo and tests can use short ones.
 */
export function uploadPolicy(env: NodeJS.ProcessEnv): PolicyInput {
  return {
    guarantee: 'at-least-once',
    retry: {
      attempts: envInt(env, 'UPLOAD_RETRY_ATTEMPTS', 2, { max: 100 }),
      initialDelay: envDurationMs(env, 'UPLOAD_RETRY_INITIAL_DELAY', 200),
    },
    retryTopics: envDurationList(env, 'UPLOAD_RETRY_TIERS', [5_000, 30_000]),
    deadLetter: true,
  }
}
