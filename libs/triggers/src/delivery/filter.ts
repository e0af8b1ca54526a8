import type { TriggerFilter } from '../config/types.ts'
import type { CloudEventAttributes } from './cloudevent.ts'

function valueAt(event: Readonly<Record<string, unknown>>, path: string): string | undefined {
  let current: unknown = event
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  if (current === undefined || current === null) return undefined
  return current instanceof Date ? current.toISOString() : String(current)
}

/** The value a filter key names: a CloudEvents attribute, or `data.<path>` into the event. */
function lookup(key: string, attributes: CloudEventAttributes, event: Readonly<Record<string, unknown>>) {
  return key.startsWith('data.') ? valueAt(event, key.slice(5)) : attributes[key]
}

/** Knative Trigger semantics: every `exact` and every `prefix` entry must match; a missing value never matches. */
export function matchesFilter(
  filter: TriggerFilter,
  attributes: CloudEventAttributes,
  event: Readonly<Record<string, unknown>>,
): boolean {
  for (const [key, expected] of Object.entries(filter.exact))
    if (lookup(key, attributes, event) !== expected) return false
  for (const [key, expected] of Object.entries(filter.prefix))
    if (!lookup(key, attributes, event)?.startsWith(expected)) return false
  return true
}
