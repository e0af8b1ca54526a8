import { defineError } from './backbone-error.ts'

/*
 * Schema registry errors: raised by the embedded registry's Kafka-backed store. The HTTP API maps
 * them to Confluent's 5xxxx error codes (50001 store, 50002 timeout, 50003 writer/leader).
 */
export const RegistryStoreUnavailableError = defineError(
  'RegistryStoreUnavailableError',
  'EB_REGISTRY_STORE_UNAVAILABLE',
  "the schema registry's Kafka store did not answer",
  true,
  500,
)
export const RegistryStoreTimeoutError = defineError(
  'RegistryStoreTimeoutError',
  'EB_REGISTRY_STORE_TIMEOUT',
  "the schema registry's reader did not catch up with its storage topic in time",
  true,
  500,
)
export const RegistryWriterFencedError = defineError(
  'RegistryWriterFencedError',
  'EB_REGISTRY_WRITER_FENCED',
  'another schema registry instance took over the single writer; retry the request',
  true,
  500,
)
export const RegistryStoreTopicError = defineError(
  'RegistryStoreTopicError',
  'EB_REGISTRY_STORE_TOPIC',
  "the schema registry's storage topic must have exactly one partition and cleanup.policy=compact",
  false,
)
