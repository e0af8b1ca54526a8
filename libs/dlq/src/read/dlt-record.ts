import type { IHeaders, KafkaMessage } from 'kafkajs'

/** One record as read from a topic: bytes untouched, headers kept as kafkajs gives them. */
export interface RawRecord {
  readonly topic: string
  readonly partition: number
  readonly offset: string
  readonly timestamp: string
  readonly key: Buffer | null
  readonly value: Buffer | null
  readonly headers: IHeaders
}

export function rawRecord(topic: string, partition: number, message: KafkaMessage): RawRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
  }
}

/**
 * A header as text: the first value when a name repeats (selection and display only; the consumer
 * runtime refuses duplicated control headers itself).
 */
export function headerText(headers: IHeaders, name: string): string | undefined {
  const value = headers[name]
  if (value === undefined) return undefined
  const first = Array.isArray(value) ? value[0] : value
  if (first === undefined) return undefined
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first)
}

export function headersAsText(headers: IHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of Object.keys(headers)) {
    const text = headerText(headers, name)
    if (text !== undefined) out[name] = text
  }
  return out
}
