import type { IHeaders } from 'kafkajs'
import { allHeaders, Header, headerLimits, type Stage } from './names.ts'

export interface Origin {
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly timestamp: string
}

export interface FailureContext {
  readonly origin: Origin
  readonly groupId: string
  readonly stage: Stage
  readonly error: unknown
  readonly attempts: number
  readonly firstFailureAt: number
  readonly lastFailureAt: number
  readonly retry?: { readonly tier: number; readonly dueAt: number }
}

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

export function errorClass(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor?.name || 'Error'
  return typeof error
}

/**
 * The original headers (minus any context headers of an earlier hop, which are replaced) plus this
 * failure's context headers.
 */
export function failureHeaders(original: IHeaders | undefined, failure: FailureContext): IHeaders {
  const headers: IHeaders = {}
  for (const [name, value] of Object.entries(original ?? {})) {
    if (value !== undefined && !allHeaders.includes(name)) headers[name] = value
  }
  const error = failure.error
  const asError = error instanceof Error ? error : undefined
  const code = (error as { code?: unknown } | null)?.code
  headers[Header.originalTopic] = failure.origin.topic
  headers[Header.originalPartition] = String(failure.origin.partition)
  headers[Header.originalOffset] = failure.origin.offset
  headers[Header.originalTimestamp] = failure.origin.timestamp
  headers[Header.group] = failure.groupId
  headers[Header.stage] = failure.stage
  headers[Header.errorClass] = bounded(errorClass(error), 200)
  if (typeof code === 'string' || typeof code === 'number')
    headers[Header.errorCode] = bounded(String(code), 200)
  headers[Header.errorMessage] = bounded(asError ? asError.message : String(error), headerLimits.messageChars)
  headers[Header.errorStack] = bounded(asError?.stack ?? '', headerLimits.stackChars)
  headers[Header.attempts] = String(failure.attempts)
  headers[Header.firstFailureAt] = String(failure.firstFailureAt)
  headers[Header.lastFailureAt] = String(failure.lastFailureAt)
  if (failure.retry) {
    headers[Header.retryTier] = String(failure.retry.tier)
    headers[Header.retryDueAt] = String(failure.retry.dueAt)
  }
  return headers
}
