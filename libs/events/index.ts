export { childTraceparent, emitEvent } from './src/emit.ts'
export { catalogEncoder } from './src/encoder.ts'
export { onEvent } from './src/subscribe.ts'
export { catalogTopicSpecs } from './src/topics.ts'
