export { samplerFromEnv } from './src/sampler.ts'
export { startTracing, type Tracing, tracingEnabled } from './src/sdk.ts'
