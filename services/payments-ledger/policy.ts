import type { PolicyInput } from '@event-backbone/client'
import { ServiceConfigError } from '@event-backbone/errors'
import { envDurationMs, envInt } from '#libs/service'

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

/** Default dedupe horizon: how long a posted paymentId is remembered after its last write. */
export const defaultDedupeHorizonMs = 30 * 86_400_000

/**
 * `LEDGER_DEDUPE_HORIZON` (e.g. `30d`, `12h`): a paymentId is remembered this long after the
 * ledger last wrote it (posting or refund); a duplicate arriving later is posted again
 * (docs/services.md, "Dedupe horizon").
 */
export function ledgerDedupeHorizonMs(env: NodeJS.ProcessEnv): number {
  const ms = envDurationMs(env, 'LEDGER_DEDUPE_HORIZON', defaultDedupeHorizonMs)
  if (ms < 1_000) {
    throw new ServiceConfigError(
      `LEDGER_DEDUPE_HORIZON needs to be at least 1s, got "${env['LEDGER_DEDUPE_HORIZON']}"`,
      {
        context: { variable: 'LEDGER_DEDUPE_HORIZON' },
      },
    )
  }
  return ms
}
