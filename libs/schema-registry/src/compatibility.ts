import type { ParsedSchema } from './schema-types.ts'

export const CompatibilityLevel = {
  NONE: 'NONE',
  BACKWARD: 'BACKWARD',
  BACKWARD_TRANSITIVE: 'BACKWARD_TRANSITIVE',
  FORWARD: 'FORWARD',
  FORWARD_TRANSITIVE: 'FORWARD_TRANSITIVE',
  FULL: 'FULL',
  FULL_TRANSITIVE: 'FULL_TRANSITIVE',
} as const
export type CompatibilityLevel = (typeof CompatibilityLevel)[keyof typeof CompatibilityLevel]

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD'

export function parseCompatibilityLevel(value: unknown): CompatibilityLevel | undefined {
  if (typeof value !== 'string') return undefined
  const upper = value.toUpperCase()
  return Object.hasOwn(CompatibilityLevel, upper) ? (upper as CompatibilityLevel) : undefined
}

export function isTransitive(level: CompatibilityLevel): boolean {
  return level.endsWith('_TRANSITIVE')
}

/** Why `reader` cannot read data written with `writer` (each type's rules); undefined when it can. */
function canRead(reader: ParsedSchema, writer: ParsedSchema): string | undefined {
  const problems = reader.readErrors(writer)
  return problems.length === 0 ? undefined : problems.join('; ')
}

/**
 * Checks a new schema against existing ones (newest first), as CSR does: BACKWARD means the new
 * schema reads data written with the old (reader = new), FORWARD the reverse, FULL both. Non
 * transitive levels are given only the latest version; the check stops at the first failure.
 */
export function checkCompatibility(
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  existing: ReadonlyArray<{ readonly version: number; readonly type: ParsedSchema }>,
): string[] {
  if (level === 'NONE') return []
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL')
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL')
  for (const { version, type } of existing) {
    const messages: string[] = []
    if (backward) {
      const reason = canRead(candidate, type)
      if (reason)
        messages.push(`BACKWARD: the new schema cannot read data written with version ${version}: ${reason}`)
    }
    if (forward) {
      const reason = canRead(type, candidate)
      if (reason)
        messages.push(`FORWARD: version ${version} cannot read data written with the new schema: ${reason}`)
    }
    if (messages.length > 0) return [...messages, `compatibility level: ${level}`]
  }
  return []
}
