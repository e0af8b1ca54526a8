import { DeliveryFailedError, DeliveryRejectedError } from '@event-backbone/errors'
import { Agent, errors as undiciErrors } from 'undici'
import { classOf, isRetriableStatus, OutcomeClass, retryAfterMs } from './outcome.ts'

export interface SendResult {
  readonly outcomeClass: OutcomeClass
  readonly status?: number
  readonly durationMs: number
  /** Set when the delivery failed: the error the runtime classifies (retriable or not). */
  readonly error?: Error
}

/** One connection pool per trigger: keep-alive, at most `connections` sockets to the function. */
export function createAgent(connections: number): Agent {
  return new Agent({ connections, keepAliveTimeout: 10_000, pipelining: 1 })
}

/**
 * One HTTP POST to the function. Never throws: the result says how it ended, and for a failure
 * carries a `DeliveryRejectedError` (permanent 4xx) or a `DeliveryFailedError` (retriable, with
 * `retryAfterMs` from a 429/503 `Retry-After`).
 */
export async function send(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  context: Readonly<Record<string, unknown>>,
): Promise<SendResult> {
  const started = performance.now()
  try {
    const response = await agent.request({
      origin: new URL(url).origin,
      path: pathOf(url),
      method: 'POST',
      headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    })
    // The body is read (bounded) so the connection can be reused and a rejection can say why.
    const text = (await response.body.text()).slice(0, 500)
    const durationMs = performance.now() - started
    const status = response.statusCode
    const outcomeClass = classOf(status)
    if (outcomeClass === OutcomeClass.success) return { outcomeClass, status, durationMs }
    const details = { ...context, status, body: text }
    if (!isRetriableStatus(status)) {
      const error = new DeliveryRejectedError(`the function answered ${status}: ${text || '(no body)'}`, {
        context: details,
      })
      return { outcomeClass, status, durationMs, error }
    }
    const header = response.headers['retry-after']
    const wait =
      status === 429 || status === 503 ? retryAfterMs(Array.isArray(header) ? header[0] : header) : undefined
    const error = Object.assign(
      new DeliveryFailedError(`the function answered ${status}: ${text || '(no body)'}`, {
        context: details,
      }),
      wait === undefined ? {} : { retryAfterMs: wait },
    )
    return { outcomeClass, status, durationMs, error }
  } catch (cause) {
    const durationMs = performance.now() - started
    const timedOut =
      cause instanceof undiciErrors.HeadersTimeoutError ||
      cause instanceof undiciErrors.BodyTimeoutError ||
      (cause as Error).name === 'TimeoutError'
    const outcomeClass = timedOut ? OutcomeClass.timeout : OutcomeClass.network
    const message = timedOut
      ? `the function did not answer within ${timeoutMs} ms`
      : `the function could not be reached: ${(cause as Error).message}`
    return {
      outcomeClass,
      durationMs,
      error: new DeliveryFailedError(message, { cause, context: { ...context, timeoutMs } }),
    }
  }
}

function pathOf(url: string): string {
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}
