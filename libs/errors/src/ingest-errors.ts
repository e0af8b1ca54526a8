import { defineError } from './backbone-error.ts'

/*
 * Ingest gateway errors: raised by libs/ingest and services/ingest-gateway at configuration time.
 * Request-level problems are HTTP answers (docs/ingest-gateway.md), not thrown errors.
 */
export const IngestConfigError = defineError(
  'IngestConfigError',
  'EB_INGEST_CONFIG',
  'the ingest gateway configuration is invalid',
  false,
)
export const PublishTimeoutError = defineError(
  'PublishTimeoutError',
  'EB_INGEST_PUBLISH_TIMEOUT',
  'the broker did not acknowledge the event within the gateway publish timeout; it may still be stored',
  true,
)
