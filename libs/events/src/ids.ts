import { createHash } from 'node:crypto'

/**
 * A UUID derived from its parts (SHA-256, formatted as a version 8 UUID): the same detection,
 * posting or window always gets the same id, so a redelivered input produces an output that
 * downstream deduplicates by id.
 */
export function uuidFrom(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex')
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
