import { type EventType, isEventType } from '@event-backbone/catalog'
import { toMilliseconds } from '#libs/consumer'
import type { Path } from './locate.ts'
import {
  DeliveryFormat,
  StartFrom,
  type Trigger,
  type TriggerCost,
  type TriggerFilter,
  TriggerOrdering,
  type TriggerRetry,
  triggerDefaults,
  triggerLimits,
} from './types.ts'

export interface Problem {
  readonly path: Path
  readonly message: string
  /** The problem is the key itself (an unknown field). */
  readonly atKey?: boolean
}

type Raw = Record<string, unknown>

const triggerFields = new Set([
  'name',
  'events',
  'url',
  'format',
  'filter',
  'ordering',
  'concurrency',
  'timeout',
  'startFrom',
  'retry',
  'retryTopics',
  'deadLetter',
  'signing',
  'headers',
  'cost',
])
const NAME = /^[a-z0-9][a-z0-9-]*$/
// Upper case, as POSIX names the environment's variables: a secret pasted here is refused.
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// The delivery owns these: a configured header must not forge the signature or the envelope.
const RESERVED_HEADER = /^(ce-|webhook-)|^(content-type|content-length|host|transfer-encoding|connection)$/i
const FILTER_KEY = /^(data\.[A-Za-z_][\w.]*|[a-z0-9]{1,20})$/

const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const show = (value: unknown) => JSON.stringify(value) ?? String(value)

/** Checks the parsed file and returns its triggers, or every problem found (none are skipped). */
export function validateTriggers(
  input: unknown,
  env: NodeJS.ProcessEnv = {},
): { triggers: Trigger[]; problems: Problem[] } {
  const problems: Problem[] = []
  const triggers: Trigger[] = []
  if (!isObject(input)) {
    problems.push({ path: [], message: 'needs to be a mapping with a `triggers` list' })
    return { triggers, problems }
  }
  for (const key of Object.keys(input))
    if (key !== 'triggers')
      problems.push({ path: [key], message: 'is not a known field (only `triggers`)', atKey: true })
  const list = input['triggers']
  if (!Array.isArray(list)) {
    problems.push({ path: ['triggers'], message: 'needs to be a list of triggers' })
    return { triggers, problems }
  }
  const names = new Map<string, number>()
  list.forEach((raw, index) => {
    const trigger = validateTrigger(raw, ['triggers', index], problems, env)
    if (!trigger) return
    const earlier = names.get(trigger.name)
    if (earlier !== undefined)
      problems.push({
        path: ['triggers', index, 'name'],
        message: `repeats the name of triggers[${earlier}]`,
      })
    else names.set(trigger.name, index)
    triggers.push(trigger)
  })
  return { triggers, problems }
}

function validateTrigger(
  raw: unknown,
  at: Path,
  problems: Problem[],
  env: NodeJS.ProcessEnv,
): Trigger | undefined {
  if (!isObject(raw)) {
    problems.push({ path: at, message: 'needs to be a mapping (name, events, url, ...)' })
    return undefined
  }
  const before = problems.length
  const problem = (field: string | Path, message: string) =>
    problems.push({ path: [...at, ...(typeof field === 'string' ? [field] : field)], message })
  for (const key of Object.keys(raw))
    if (!triggerFields.has(key))
      problems.push({
        path: [...at, key],
        message: `is not a known trigger field (${[...triggerFields].join(', ')})`,
        atKey: true,
      })

  const name = raw['name']
  if (typeof name !== 'string' || !NAME.test(name) || name.length > triggerLimits.nameMaxLength)
    problem(
      'name',
      `needs to be lower-case letters, digits and dashes (at most ${triggerLimits.nameMaxLength}), got ${show(name)}`,
    )

  const events = typeof raw['events'] === 'string' ? [raw['events']] : raw['events']
  if (!Array.isArray(events) || events.length === 0)
    problem('events', 'needs to be an event type or a non-empty list of them')
  else
    events.forEach((event, i) => {
      if (typeof event !== 'string' || !isEventType(event))
        problem(
          typeof raw['events'] === 'string' ? ['events'] : ['events', i],
          `${show(event)} is not an event type of the catalog`,
        )
    })

  const rawUrl = raw['url']
  // An unset ${NAME} is reported by expand and leaves url undefined.
  const url =
    typeof rawUrl === 'string' ? expand(rawUrl, env, (message) => problem('url', message)) : undefined
  if (typeof rawUrl !== 'string' || (url !== undefined && !isHttpUrl(url)))
    problem('url', `needs to be an http:// or https:// URL, got ${show(url ?? rawUrl)}`)

  const format = oneOf(raw, 'format', DeliveryFormat, triggerDefaults.format, problem)
  const ordering = oneOf(raw, 'ordering', TriggerOrdering, triggerDefaults.ordering, problem)
  const startFrom = oneOf(raw, 'startFrom', StartFrom, triggerDefaults.startFrom, problem)
  const concurrency = whole(
    raw,
    'concurrency',
    triggerDefaults.concurrency,
    triggerLimits.concurrency,
    problem,
  )
  const timeoutMs = duration(raw, 'timeout', triggerDefaults.timeoutMs, triggerLimits.timeoutMs, problem)
  const filter = validateFilter(raw['filter'], problem)
  const retry = validateRetry(raw['retry'], problem)
  const retryTopicsMs = validateTiers(raw['retryTopics'], problem)
  const deadLetter = raw['deadLetter'] ?? triggerDefaults.deadLetter
  if (typeof deadLetter !== 'boolean')
    problem('deadLetter', `needs to be true or false, got ${show(deadLetter)}`)
  const secretEnv = validateSigning(raw['signing'], problem)
  const headersFromEnv = validateHeaders(raw['headers'], problem)
  const cost = validateCost(raw['cost'], problem)

  if (problems.length > before) return undefined
  return {
    name: name as string,
    events: events as EventType[],
    url: url as string,
    format,
    filter,
    ordering,
    concurrency,
    timeoutMs,
    startFrom,
    retry,
    retryTopicsMs,
    deadLetter: deadLetter as boolean,
    ...(secretEnv === undefined ? {} : { secretEnv }),
    headersFromEnv,
    cost,
  }
}

type Report = (field: string | Path, message: string) => void

/**
 * `${NAME}` in a URL is the variable's value, so one file serves several environments (the local
 * stack and compose reach the same function at different addresses). Only URLs expand: secrets and
 * header values are named by variable, never expanded into the file's text.
 */
function expand(text: string, env: NodeJS.ProcessEnv, report: (message: string) => void): string | undefined {
  let missing = false
  const expanded = text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name]
    if (value === undefined || value === '') {
      report(`uses \${${name}}, which is not set`)
      missing = true
      return ''
    }
    return value
  })
  return missing ? undefined : expanded
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
    )
  } catch {
    return false
  }
}

function oneOf<T extends Record<string, string>>(
  raw: Raw,
  field: string,
  values: T,
  fallback: T[keyof T],
  problem: Report,
): T[keyof T] {
  const value = raw[field] ?? fallback
  const allowed = Object.values(values)
  if (typeof value !== 'string' || !allowed.includes(value)) {
    problem(field, `needs to be one of ${allowed.join(', ')}, got ${show(value)}`)
    return fallback
  }
  return value as T[keyof T]
}

function whole(
  raw: Raw,
  field: string | Path,
  fallback: number,
  range: { min: number; max: number },
  problem: Report,
): number {
  const value = typeof field === 'string' ? raw[field] : undefined
  const actual = value ?? fallback
  if (typeof actual !== 'number' || !Number.isInteger(actual) || actual < range.min || actual > range.max) {
    problem(field, `needs to be a whole number from ${range.min} to ${range.max}, got ${show(actual)}`)
    return fallback
  }
  return actual
}

function duration(
  raw: Raw,
  field: string,
  fallback: number,
  range: { min: number; max: number },
  problem: Report,
  at: Path = [],
): number {
  const value = raw[field]
  if (value === undefined) return fallback
  const ms = toMilliseconds(value)
  if (ms === undefined || ms < range.min || ms > range.max) {
    problem(
      [...at, field],
      `needs to be a duration such as 500ms, 10s or 1m, from ${range.min} ms to ${range.max} ms, got ${show(value)}`,
    )
    return fallback
  }
  return ms
}

function knownFields(raw: Raw, at: Path, fields: readonly string[], problem: Report): void {
  for (const key of Object.keys(raw))
    if (!fields.includes(key)) problem([...at, key], `is not a known field (${fields.join(', ')})`)
}

function validateFilter(raw: unknown, problem: Report): TriggerFilter {
  const filter = { exact: {} as Record<string, string>, prefix: {} as Record<string, string> }
  if (raw === undefined) return filter
  if (!isObject(raw)) {
    problem('filter', 'needs to be a mapping with `exact` and/or `prefix`')
    return filter
  }
  knownFields(raw, ['filter'], ['exact', 'prefix'], problem)
  for (const kind of ['exact', 'prefix'] as const) {
    const entries = raw[kind]
    if (entries === undefined) continue
    if (!isObject(entries)) {
      problem(['filter', kind], 'needs to be a mapping of attribute (or data.field) to value')
      continue
    }
    for (const [key, value] of Object.entries(entries)) {
      if (!FILTER_KEY.test(key))
        problem(
          ['filter', kind, key],
          'is neither a CloudEvents attribute name (lower-case letters and digits) nor data.<field>',
        )
      else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        problem(['filter', kind, key], `needs a string, number or boolean to match, got ${show(value)}`)
      else filter[kind][key] = String(value)
    }
  }
  return filter
}

function validateRetry(raw: unknown, problem: Report): TriggerRetry {
  const defaults = triggerDefaults.retry
  if (raw === undefined) return { ...defaults }
  if (!isObject(raw)) {
    problem('retry', 'needs to be a mapping (attempts, initialDelay, multiplier, maxDelay, jitter)')
    return { ...defaults }
  }
  knownFields(raw, ['retry'], ['attempts', 'initialDelay', 'multiplier', 'maxDelay', 'jitter'], problem)
  const attempts = raw['attempts'] ?? defaults.attempts
  const { min, max } = triggerLimits.retryAttempts
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < min || attempts > max)
    problem(['retry', 'attempts'], `needs to be a whole number from ${min} to ${max}, got ${show(attempts)}`)
  const multiplier = raw['multiplier'] ?? defaults.multiplier
  if (typeof multiplier !== 'number' || multiplier < 1 || multiplier > 100)
    problem(['retry', 'multiplier'], `needs to be a number from 1 to 100, got ${show(multiplier)}`)
  const jitter = raw['jitter'] ?? defaults.jitter
  if (typeof jitter !== 'number' || jitter < 0 || jitter > 1)
    problem(['retry', 'jitter'], `needs to be a number from 0 to 1, got ${show(jitter)}`)
  const range = { min: 0, max: triggerLimits.maxDelayMs }
  return {
    attempts: attempts as number,
    multiplier: multiplier as number,
    jitter: jitter as number,
    initialDelayMs: duration(raw, 'initialDelay', defaults.initialDelayMs, range, problem, ['retry']),
    maxDelayMs: duration(raw, 'maxDelay', defaults.maxDelayMs, range, problem, ['retry']),
  }
}

function validateTiers(raw: unknown, problem: Report): number[] {
  if (raw === undefined) return [...triggerDefaults.retryTopicsMs]
  if (!Array.isArray(raw) || raw.length > triggerLimits.retryTopics) {
    problem(
      'retryTopics',
      `needs to be a list of at most ${triggerLimits.retryTopics} durations, e.g. [30s, 5m]`,
    )
    return []
  }
  return raw.map((value, i) => {
    const ms = toMilliseconds(value)
    if (ms === undefined || ms <= 0 || ms > 7 * 24 * 3_600_000) {
      problem(['retryTopics', i], `needs to be a duration from 1 ms to 7 days, got ${show(value)}`)
      return 0
    }
    return ms
  })
}

function validateSigning(raw: unknown, problem: Report): string | undefined {
  if (raw === undefined) return undefined
  if (!isObject(raw)) {
    problem('signing', 'needs to be a mapping with `secretEnv`')
    return undefined
  }
  knownFields(raw, ['signing'], ['secretEnv'], problem)
  const name = raw['secretEnv']
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    problem(
      ['signing', 'secretEnv'],
      `needs to name an environment variable in upper case (the secret never goes in the file, nor in this message)`,
    )
    return undefined
  }
  return name
}

function validateHeaders(raw: unknown, problem: Report): Record<string, string> {
  const headers: Record<string, string> = {}
  if (raw === undefined) return headers
  if (!isObject(raw)) {
    problem('headers', 'needs to be a mapping of header name to the environment variable holding its value')
    return headers
  }
  for (const [header, env] of Object.entries(raw)) {
    if (!HEADER_NAME.test(header) || RESERVED_HEADER.test(header))
      problem(
        ['headers', header],
        'is not a header name a trigger may set (ce-*, webhook-*, content-type and hop-by-hop headers are the delivery’s own)',
      )
    else if (typeof env !== 'string' || !ENV_NAME.test(env))
      problem(
        ['headers', header],
        `needs to name an environment variable in upper case (values never go in the file, nor in this message)`,
      )
    else headers[header.toLowerCase()] = env
  }
  return headers
}

function validateCost(raw: unknown, problem: Report): TriggerCost {
  const defaults = triggerDefaults.cost
  if (raw === undefined) return { ...defaults }
  if (!isObject(raw)) {
    problem('cost', 'needs to be a mapping (memoryMb, pricePerMillionInvocations, pricePerGbSecond)')
    return { ...defaults }
  }
  knownFields(raw, ['cost'], ['memoryMb', 'pricePerMillionInvocations', 'pricePerGbSecond'], problem)
  const memoryMb = raw['memoryMb'] ?? defaults.memoryMb
  const { min, max } = triggerLimits.memoryMb
  if (typeof memoryMb !== 'number' || !Number.isInteger(memoryMb) || memoryMb < min || memoryMb > max)
    problem(
      ['cost', 'memoryMb'],
      `needs to be a whole number of MB from ${min} to ${max}, got ${show(memoryMb)}`,
    )
  const price = (field: 'pricePerMillionInvocations' | 'pricePerGbSecond') => {
    const value = raw[field] ?? defaults[field]
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problem(['cost', field], `needs to be a price of zero or more (USD), got ${show(value)}`)
      return defaults[field]
    }
    return value
  }
  return {
    memoryMb: memoryMb as number,
    pricePerMillionInvocations: price('pricePerMillionInvocations'),
    pricePerGbSecond: price('pricePerGbSecond'),
  }
}
