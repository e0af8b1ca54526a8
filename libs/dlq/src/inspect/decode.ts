import type { EventSerde } from '@event-backbone/serde'

/** A key or value as an operator may see it: decoded Avro, text, or base64 of bytes that are neither. */
export interface ShownBytes {
  readonly kind: 'avro' | 'text' | 'bytes' | 'null'
  readonly size: number
  readonly schemaId?: number
  readonly schemaName?: string
  /** Decoded Avro as JSON-safe data (bytes as base64, long as number, timestamps as ISO text). */
  readonly value?: unknown
  readonly text?: string
  readonly base64?: string
  /** Why Avro decoding failed, when it was tried. */
  readonly error?: string
}

/** Decoded with the writer schema, for predicates; `ok: false` when it is not decodable Avro. */
export interface Decoded {
  readonly ok: boolean
  readonly value?: unknown
  readonly schemaId?: number
  readonly schemaName?: string | undefined
  readonly error?: string
}

/** Printable UTF-8: no replacement characters and no control characters but tab and newlines. */
function printable(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8')
  if (text.includes('\uFFFD')) return undefined
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return undefined
  return text
}

export function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null
  if (Buffer.isBuffer(value)) return { $bytes: value.toString('base64') }
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(jsonSafe)
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [name, field] of Object.entries(value)) out[name] = jsonSafe(field)
    return out
  }
  return value
}

export async function decodeValue(serde: EventSerde | undefined, bytes: Buffer | null): Promise<Decoded> {
  if (!serde || bytes === null || bytes.length < 5 || bytes[0] !== 0) return { ok: false, error: 'not Avro' }
  try {
    const decoded = await serde.decodeWithWriterSchema(bytes)
    return { ok: true, value: decoded.value, schemaId: decoded.schemaId, schemaName: decoded.schemaName }
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
}

/** Shows bytes safely: the Avro decoding when it succeeds, else text when printable, else base64. */
export function show(bytes: Buffer | null, decoded?: Decoded): ShownBytes {
  if (bytes === null) return { kind: 'null', size: 0 }
  if (decoded?.ok) {
    return {
      kind: 'avro',
      size: bytes.length,
      ...(decoded.schemaId === undefined ? {} : { schemaId: decoded.schemaId }),
      ...(decoded.schemaName === undefined ? {} : { schemaName: decoded.schemaName }),
      value: jsonSafe(decoded.value),
    }
  }
  const error = decoded?.error && decoded.error !== 'not Avro' ? { error: decoded.error } : {}
  const text = printable(bytes)
  if (text !== undefined) return { kind: 'text', size: bytes.length, text, ...error }
  return { kind: 'bytes', size: bytes.length, base64: bytes.toString('base64'), ...error }
}
