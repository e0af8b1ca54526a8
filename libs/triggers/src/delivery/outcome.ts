/** What one HTTP delivery came to, by class (the metrics' `class` label). */
export const OutcomeClass = {
  success: '2xx',
  redirect: '3xx',
  client: '4xx',
  server: '5xx',
  timeout: 'timeout',
  network: 'network',
} as const
export type OutcomeClass = (typeof OutcomeClass)[keyof typeof OutcomeClass]

export function classOf(status: number): OutcomeClass {
  if (status >= 200 && status < 300) return OutcomeClass.success
  if (status >= 300 && status < 400) return OutcomeClass.redirect
  if (status >= 400 && status < 500) return OutcomeClass.client
  return OutcomeClass.server
}

/**
 * Whether a failed delivery can succeed later. 408 (timeout) and 429 (too many requests) are
 * retriable; other 4xx are permanent (the function rejected the event: dead-letter it at once), as
 * Knative and the HTTP sink connectors treat them. 3xx are not followed and count as permanent:
 * a trigger's URL is configuration, and a redirect means it is wrong.
 */
export function isRetriableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true
  return status >= 500
}

/**
 * Milliseconds a `Retry-After` value asks to wait (RFC 9110: delay-seconds or an HTTP-date), or
 * undefined when absent or malformed. Honoured on 429 and 503 only, as the spec defines it for them.
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined
  return Math.max(0, at - now)
}
