import { NonRetriableError } from '@event-backbone/errors'

export const Verdict = {
  /** Try again in process, with back-off, then move on to the retry topics. */
  retry: 'retry',
  /** Skip in-process retries: go to the next retry topic, or dead-letter when there is none. */
  nextTier: 'next-tier',
  /** Dead-letter at once: trying again cannot help. */
  deadLetter: 'dead-letter',
} as const
export type Verdict = (typeof Verdict)[keyof typeof Verdict]

/** Errors that mean the code is wrong, not the world: an immediate retry would fail the same way. */
const programmingErrors = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError]

export function isProgrammingError(error: unknown): boolean {
  return programmingErrors.some((kind) => error instanceof kind)
}

/**
 * The contract's failure classification. `retriable === false` on any error (the serde errors,
 * NonRetriableError, kafkajs's non-retriable errors) dead-letters at once; programming errors are
 * not retried in place but still get the retry topics, since a fix may be deployed before they are
 * due; everything else is retried per policy.
 */
export function classify(error: unknown): Verdict {
  if ((error as { retriable?: unknown } | null)?.retriable === false) return Verdict.deadLetter
  if (isProgrammingError(error)) return Verdict.nextTier
  return Verdict.retry
}

/** Wraps `error` so the runtime dead-letters the record at once. */
export function nonRetriable(error: unknown, message?: string): InstanceType<typeof NonRetriableError> {
  const text = message ?? (error instanceof Error ? error.message : String(error))
  return new NonRetriableError(text, { cause: error })
}
