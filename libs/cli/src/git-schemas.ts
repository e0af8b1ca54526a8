import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { catalog } from '@event-backbone/catalog'
import { UsageError } from '@event-backbone/errors'

// Compact JSON with docs kept, as the catalog registers it.
const compact = (text: string) => JSON.stringify(JSON.parse(text))

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch {
    return undefined
  }
}

/** The catalog's schemas in the working tree of `dir`, by event type. */
export function schemasInTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(catalog).map(([eventType, entry]) => [
      eventType,
      compact(readFileSync(join(dir, entry.schemaFile), 'utf8')),
    ]),
  )
}

/**
 * The schemas at a git revision of `dir`, by event type: the catalog's files as they were then,
 * plus any other .avsc file of schemas/ then (an event type since removed, named by its record).
 */
export function schemasAtRevision(dir: string, revision: string): Record<string, string> {
  if (git(dir, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]) === undefined) {
    throw new UsageError(`'${revision}' is not a git revision of ${dir}`)
  }
  const found: Record<string, string> = {}
  const known = new Set<string>()
  for (const [eventType, entry] of Object.entries(catalog)) {
    known.add(entry.schemaFile)
    const text = git(dir, ['show', `${revision}:${entry.schemaFile}`])
    if (text !== undefined) found[eventType] = compact(text)
  }
  const files = (git(dir, ['ls-tree', '--name-only', revision, 'schemas/']) ?? '').split('\n')
  for (const file of files.filter((name) => name.endsWith('.avsc') && !known.has(name))) {
    const text = git(dir, ['show', `${revision}:${file}`])
    if (text === undefined) continue
    const name = (JSON.parse(text) as { name?: string }).name ?? file
    found[name.split('.').at(-1) ?? name] = compact(text)
  }
  return found
}
