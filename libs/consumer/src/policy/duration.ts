/** A duration: milliseconds, or a string such as "250ms", "5s", "1m", "10m", "1h". */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h'}`

const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/** Milliseconds for `value`, or undefined when it is not a duration. */
export function toMilliseconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim())
  if (!match) return undefined
  return Math.round(Number(match[1]) * units[match[2]!]!)
}

/** "5s", "1m", "1500ms": the shortest exact spelling, for logs and docs. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}
