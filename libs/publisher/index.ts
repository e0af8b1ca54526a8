export { PUBLISHER_DEFAULTS } from './src/options.ts'
export type { Publisher } from './src/publisher.ts'
export { createPublisher } from './src/publisher.ts'
export { EVENT_TYPE_HEADER } from './src/record.ts'
export type { TraceContext } from './src/traceparent.ts'
export {
  formatTraceparent,
  generateTraceparent,
  parseTraceparent,
  TRACEPARENT_HEADER,
} from './src/traceparent.ts'
export type {
  EncodedEvent,
  EventEncoder,
  EventFacts,
  Headers,
  HeaderValue,
  PublishEntry,
  PublisherOptions,
  PublisherStats,
  PublishOptions,
  PublishOutcome,
  PublishResult,
} from './src/types.ts'
