import { ServiceConfigError } from '@event-backbone/errors'

/** The environment every service reads; docs/services.md has the table. */
export const ServiceEnv = {
  host: 'SERVICE_HOST',
  port: 'SERVICE_PORT',
  group: 'CONSUMER_GROUP',
  registryUrl: 'SCHEMA_REGISTRY_URL',
  logLevel: 'LOG_LEVEL',
  lagInterval: 'CONSUMER_LAG_INTERVAL',
} as const

function raw(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}

export function envString(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  return raw(env, name) ?? fallback
}

/** A whole number within [min, max]; a bad value names the variable and the expected range. */
export function envInt(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: { min?: number; max?: number } = {},
): number {
  const text = raw(env, name)
  if (text === undefined) return fallback
  const value = Number(text)
  const min = range.min ?? 0
  const max = range.max ?? Number.MAX_SAFE_INTEGER
  if (!/^-?\d+$/.test(text) || value < min || value > max) {
    throw new ServiceConfigError(`${name} needs to be a whole number from ${min} to ${max}, got "${text}"`, {
      context: { variable: name },
    })
  }
  return value
}

const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds, or a number with a unit: `250ms`, `5s`, `1m`, `1h`, `30d`. */
export function envDurationMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = raw(env, name)
  if (text === undefined) return fallback
  const ms = parseDurationMs(text)
  if (ms === undefined) {
    throw new ServiceConfigError(
      `${name} needs to be a duration such as 500ms, 5s, 1m, 1h or 30d, got "${text}"`,
      {
        context: { variable: name },
      },
    )
  }
  return ms
}

/** A comma-separated list of durations in milliseconds, e.g. `5s,30s`; an empty value means none. */
export function envDurationList(env: NodeJS.ProcessEnv, name: string, fallback: readonly number[]): number[] {
  const text = env[name]
  if (text === undefined) return [...fallback]
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
  for (const item of items) {
    if (parseDurationMs(item) === undefined) {
      throw new ServiceConfigError(`${name} needs comma-separated durations such as 5s,30s, got "${text}"`, {
        context: { variable: name },
      })
    }
  }
  return items.map((item) => parseDurationMs(item) ?? 0)
}

function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text)
  if (!match) return undefined
  return Number(match[1]) * (units[match[2] ?? 'ms'] ?? 1)
}
