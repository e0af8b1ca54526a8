export * from './generated/events.ts'
export type { CatalogEntry } from './src/catalog.ts'
export { catalog } from './src/catalog.ts'
export type {
  AnyEvent,
  Catalog,
  EventOf,
  EventType,
  EventTypeOfTopic,
  KeyFieldOf,
  Topic,
  TopicOf,
} from './src/event-types.ts'
export { logicalTypes, parseAvroSchema, TimestampMillisType, UuidType } from './src/logical-types.ts'
export {
  catalogEntries,
  catalogEntry,
  eventKey,
  eventTypeForTopic,
  eventTypes,
  isCatalogTopic,
  isEventType,
} from './src/lookup.ts'
export { schemaText, schemaType } from './src/schema-loader.ts'
