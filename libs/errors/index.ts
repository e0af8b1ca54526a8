export type { BackboneErrorClass, BackboneErrorOptions, ErrorContext } from './src/backbone-error.ts'
export { BackboneError, defineError } from './src/backbone-error.ts'
export * from './src/catalog.ts'
export * from './src/serde-errors.ts'
