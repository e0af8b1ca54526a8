import { readFileSync } from 'node:fs'
import type avsc from 'avsc'
import { SchemaFileError } from '#libs/errors'
import type { EventType } from './event-types.ts'
import { parseAvroSchema } from './logical-types.ts'
import { catalogEntry } from './lookup.ts'

const repositoryRoot = new URL('../../../', import.meta.url)

interface LoadedSchema {
  readonly text: string
  readonly type: avsc.Type
}

// Schemas never change while a process runs, so each file is read and parsed at most once.
const loaded = new Map<EventType, LoadedSchema>()

function load(eventType: EventType): LoadedSchema {
  const cached = loaded.get(eventType)
  if (cached) return cached
  const file = catalogEntry(eventType).schemaFile
  let schema: LoadedSchema
  try {
    const json: unknown = JSON.parse(readFileSync(new URL(file, repositoryRoot), 'utf8'))
    // Compact JSON with docs kept: the form registered, so the registry stores the documentation.
    schema = { text: JSON.stringify(json), type: parseAvroSchema(json as object) }
  } catch (error) {
    throw new SchemaFileError(
      `cannot load the schema of ${eventType} from ${file}: ${(error as Error).message}`,
      {
        cause: error,
        context: { eventType, schemaFile: file },
      },
    )
  }
  loaded.set(eventType, schema)
  return schema
}

/** The parsed (reader) Avro type of an event type, with the backbone's logical types. */
export function schemaType(eventType: EventType): avsc.Type {
  return load(eventType).type
}

/** The schema as compact JSON text, as it is registered with the schema registry. */
export function schemaText(eventType: EventType): string {
  return load(eventType).text
}

/** Absolute path of a catalog schema file. */
export function schemaPath(eventType: EventType): string {
  return new URL(catalogEntry(eventType).schemaFile, repositoryRoot).pathname
}
