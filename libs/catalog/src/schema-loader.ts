import { SchemaFileError } from '@event-backbone/errors'
import type avsc from 'avsc'
import { schemaTexts } from '../generated/schemas.ts'
import type { EventType } from './event-types.ts'
import { parseAvroSchema } from './logical-types.ts'
import { catalogEntry, eventTypesForTopic } from './lookup.ts'

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

/** The fully qualified record name of an event type's schema: `dev.eventbackbone.events.PaymentRefunded`. */
export function recordNameOf(eventType: EventType): string {
  // Every catalog schema is a named record (the catalog unit tests check it).
  return schemaType(eventType).name!
}

/**
 * The event type of `topic` whose schema has the fully qualified `recordName` (a record's writer
 * schema name), or undefined when the topic carries no such type.
 */
export function eventTypeOfRecord(topic: string, recordName: string | undefined): EventType | undefined {
  if (recordName === undefined) return undefined
  return eventTypesForTopic(topic).find((eventType) => recordNameOf(eventType) === recordName)
}
