import type { PolicyInput } from '@event-backbone/client'
import { envInt } from '#libs/service'

/**
 * Exactly-once. No retry topics: the dedupe store's changelog partition must have one writer, the
 * transactional producer of the payments partition (docs/services.md); failures retry in process,
 * then dead-letter in the same transaction.
 */
export function ledgerPolicy(env: NodeJS.ProcessEnv): PolicyInput {
  return {
    guarantee: 'exactly-once',
    retry: { attempts: envInt(env, 'LEDGER_RETRY_ATTEMPTS', 3, { max: 100 }) },
    retryTopics: [],
    deadLetter: true,
  }
}
