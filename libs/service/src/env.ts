import { type BackboneError, ServiceConfigError } from '@event-backbone/errors'

/** The environment every service reads; docs/service-kit.md has the table. */
export const ServiceEnv = {
  host: 'SERVICE_HOST',
  port: 'SERVICE_PORT',
  group: 'CONSUMER_GROUP',
  registryUrl: 'SCHEMA_REGISTRY_URL',
  logLevel: 'LOG_LEVEL',
  lagInterval: 'CONSUMER_LAG_INTERVAL',
  stopDeadline: 'SERVICE_STOP_DEADLINE',
} as const

/**
 * One variable, or several names for one setting: the first one set wins. A service's own older
 * name comes first (`REGISTRY_PORT`, then the shared `SERVICE_PORT`), so documented settings keep
 * working while every service also honours the shared name.
 */
export type EnvNames = string | readonly string[]

interface Found {
  readonly name: string
  readonly text: string
}

function lookup(env: NodeJS.ProcessEnv, names: EnvNames): Found | undefined {
  for (const name of typeof names === 'string' ? [names] : names) {
    const text = env[name]?.trim()
    if (text !== undefined && text !== '') return { name, text }
  }
  return undefined
}

function primary(names: EnvNames): string {
  return typeof names === 'string' ? names : (names[0] ?? '')
}

/** Fails naming the variable, what it needs and what it got: the one error every service raises. */
export function envError(name: string, why: string): BackboneError {
  return new ServiceConfigError(`${name} ${why}`, { context: { variable: name } })
}

export function envString(env: NodeJS.ProcessEnv, names: EnvNames, fallback: string): string {
  return lookup(env, names)?.text ?? fallback
}

/** A value the service cannot start without; `hint` says what it is. */
export function envRequired(env: NodeJS.ProcessEnv, names: EnvNames, hint: string): string {
  const found = lookup(env, names)
  if (!found) throw envError(primary(names), `is not set (${hint})`)
  return found.text
}

/** A whole number within [min, max]; a bad value names the variable and the expected range. */
export function envInt(
  env: NodeJS.ProcessEnv,
  names: EnvNames,
  fallback: number,
  range: { min?: number; max?: number } = {},
): number {
  const found = lookup(env, names)
  if (found === undefined) return fallback
  const value = Number(found.text)
  const min = range.min ?? 0
  const max = range.max ?? Number.MAX_SAFE_INTEGER
  if (!/^-?\d+$/.test(found.text) || value < min || value > max) {
    throw envError(found.name, `needs to be a whole number from ${min} to ${max}, got "${found.text}"`)
  }
  return value
}

/** A TCP port to listen on; 0 picks a free one. */
export function envPort(env: NodeJS.ProcessEnv, names: EnvNames, fallback: number): number {
  return envInt(env, names, fallback, { min: 0, max: 65_535 })
}

/** An http(s) URL; without a fallback the variable is required. */
export function envUrl(env: NodeJS.ProcessEnv, names: EnvNames, fallback?: string): string {
  const found = lookup(env, names)
  if (found === undefined) {
    if (fallback === undefined) throw envError(primary(names), 'is not set (an http(s) URL)')
    return fallback
  }
  let url: URL | undefined
  try {
    url = new URL(found.text)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw envError(found.name, `is not an http(s) URL such as http://127.0.0.1:8081, got "${found.text}"`)
  }
  return found.text
}

/** A comma-separated list; blanks between commas are dropped. */
export function envList(env: NodeJS.ProcessEnv, names: EnvNames, fallback: readonly string[]): string[] {
  const found = lookup(env, names)
  if (found === undefined) return [...fallback]
  return found.text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** One of a fixed set of words, compared case-insensitively. */
export function envOneOf<const T extends string>(
  env: NodeJS.ProcessEnv,
  names: EnvNames,
  allowed: readonly T[],
  fallback: T,
): T {
  const found = lookup(env, names)
  if (found === undefined) return fallback
  const value = found.text.toLowerCase()
  const match = allowed.find((item) => item.toLowerCase() === value)
  if (match === undefined) {
    throw envError(found.name, `needs to be one of ${allowed.join(', ')}, got "${found.text}"`)
  }
  return match
}

const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds, or a number with a unit: `250ms`, `5s`, `1m`, `1h`, `30d`. */
export function envDurationMs(env: NodeJS.ProcessEnv, names: EnvNames, fallback: number): number {
  const found = lookup(env, names)
  if (found === undefined) return fallback
  const ms = parseDurationMs(found.text)
  if (ms === undefined) {
    throw envError(found.name, `needs to be a duration such as 500ms, 5s, 1m, 1h or 30d, got "${found.text}"`)
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
      throw envError(name, `needs comma-separated durations such as 5s,30s, got "${text}"`)
    }
  }
  return items.map((item) => parseDurationMs(item) ?? 0)
}

function parseDurationMs(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text)
  if (!match) return undefined
  return Number(match[1]) * (units[match[2] ?? 'ms'] ?? 1)
}
