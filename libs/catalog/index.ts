export * from './generated/events.ts'
export type { CatalogEntry } from './src/catalog.ts'
export { catalog, SubjectNameStrategy, subjectNameFor } from './src/catalog.ts'
export type {
  AnyEvent,
  Catalog,
  EventOf,
  EventType,
  EventTypeOfTopic,
  KeyFieldOf,
  Topic,
  TopicEvent,
  TopicOf,
} from './src/event-types.ts'
export { logicalTypes, parseAvroSchema, TimestampMillisType, UuidType } from './src/logical-types.ts'
export {
  catalogEntries,
  catalogEntry,
  eventKey,
  eventTypeForTopic,
  eventTypes,
  eventTypesForTopic,
  isCatalogTopic,
  isEventType,
} from './src/lookup.ts'
export { eventTypeOfRecord, recordNameOf, schemaText, schemaType } from './src/schema-loader.ts'
