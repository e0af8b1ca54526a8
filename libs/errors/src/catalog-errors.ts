import { defineError } from './backbone-error.ts'

/* Event catalog errors: a name, topic or schema file the catalog does not know or cannot read. */
export const UnknownEventTypeError = defineError(
  'UnknownEventTypeError',
  'EB_CATALOG_UNKNOWN_EVENT_TYPE',
  'the event catalog has no such event type',
  false,
  404,
)
export const UnknownTopicError = defineError(
  'UnknownTopicError',
  'EB_CATALOG_UNKNOWN_TOPIC',
  'no event type in the catalog is published on this topic',
  false,
  404,
)
export const SchemaFileError = defineError(
  'SchemaFileError',
  'EB_CATALOG_SCHEMA_FILE',
  'a catalog schema file is missing or is not a valid Avro schema',
  false,
)
