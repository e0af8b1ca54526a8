import { InvalidTraceparentError } from '@event-backbone/errors'
import { cloudEventHeaders } from '#libs/kafka'
import { PUBLISHER_DEFAULTS } from './options.ts'
import {
  formatTraceparent,
  generateTraceparent,
  parseTraceparent,
  TRACEPARENT_HEADER,
} from './traceparent.ts'
import type { EncodedEvent, Headers, HeaderValue, PublishOptions } from './types.ts'

export const EVENT_TYPE_HEADER = 'eb-event-type'

/** The kafkajs message of one event; the partitioner fills in `partition` when it is sent. */
export interface OutgoingMessage {
  key: Buffer | string | null
  value: Buffer
  headers: Headers
  partition?: number
}

/**
 * The traceparent to carry: the caller's (option, then header), else the active context's, else a
 * fresh one. A caller's bad value is a bug and rejects; a bad active context is ignored.
 */
export function chooseTraceparent(
  options: PublishOptions | undefined,
  active: (() => string | undefined) | undefined,
): string {
  const explicit = options?.traceparent ?? headerText(options?.headers?.[TRACEPARENT_HEADER])
  if (explicit !== undefined) {
    const context = parseTraceparent(explicit)
    if (!context) {
      throw new InvalidTraceparentError(
        `traceparent ${JSON.stringify(explicit)} is not valid W3C trace context`,
      )
    }
    return formatTraceparent(context)
  }
  const fromActive = active?.()
  const context = fromActive === undefined ? undefined : parseTraceparent(fromActive)
  return context ? formatTraceparent(context) : generateTraceparent()
}

/** Whether the caller chose the trace (option or header) rather than leaving it to the context. */
export function hasExplicitTraceparent(options: PublishOptions | undefined): boolean {
  return options?.traceparent !== undefined || options?.headers?.[TRACEPARENT_HEADER] !== undefined
}

function headerText(value: HeaderValue | undefined): string | undefined {
  return value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString('latin1') : value
}

/**
 * Encoder headers, then caller headers, then the publisher's own, which always win: the trace, the
 * event type and, when the encoder told the event's facts, the CloudEvents binding.
 */
export function buildMessage(
  eventType: string,
  encoded: EncodedEvent,
  options: PublishOptions | undefined,
  traceparent: string,
  source: string = PUBLISHER_DEFAULTS.clientId,
): OutgoingMessage {
  const facts = encoded.cloudEvent
  return {
    key: encoded.key,
    value: encoded.value,
    headers: {
      ...encoded.headers,
      ...options?.headers,
      ...(facts && cloudEventHeaders({ ...facts, source: options?.source ?? source, traceparent })),
      [TRACEPARENT_HEADER]: traceparent,
      [EVENT_TYPE_HEADER]: eventType,
    },
  }
}

// A v2 record's fixed part: length, attributes, timestamp and offset deltas, key and value lengths,
// header count, as varints (at most 5 bytes each, 1 for the attributes byte).
const RECORD_OVERHEAD = 31
const HEADER_OVERHEAD = 10

/** Upper estimate of the bytes one record takes on the wire, used for batch and buffer limits. */
export function recordSize(message: OutgoingMessage): number {
  let size = RECORD_OVERHEAD + message.value.length + byteLength(message.key)
  for (const name in message.headers) {
    size += HEADER_OVERHEAD + Buffer.byteLength(name) + byteLength(message.headers[name]!)
  }
  return size
}

function byteLength(value: Buffer | string | null): number {
  if (value === null) return 0
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length
}
