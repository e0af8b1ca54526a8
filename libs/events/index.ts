export {
  catalogEventFacts,
  cloudEventType,
  eventTypeOfCloudEvent,
  framedSchemaId,
} from './src/cloudevents.ts'
export { childTraceparent, emitEvent } from './src/emit.ts'
export type { CatalogEncoderOptions } from './src/encoder.ts'
export { catalogEncoder } from './src/encoder.ts'
export type { BackboneConnection } from './src/from-env.ts'
export { backboneFromEnv } from './src/from-env.ts'
export { uuidFrom } from './src/ids.ts'
export type { TopicHandlers } from './src/subscribe.ts'
export { onEvent, onEvents } from './src/subscribe.ts'
export { catalogTopicSpecs } from './src/topics.ts'
