import { SchemaFileError } from '@event-backbone/errors'
import type avsc from 'avsc'
import { schemaTexts } from '../generated/schemas.ts'
import type { EventType } from './event-types.ts'
import { parseAvroSchema } from './logical-types.ts'
import { catalogEntry } from './lookup.ts'

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
    // The texts are generated from the .avsc files (npm run generate), so the built package
    // carries them without reading files; a stale copy fails the generated-files check.
    const text: string = schemaTexts[eventType]
    schema = { text, type: parseAvroSchema(JSON.parse(text) as object) }
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
