import { defineError } from './backbone-error.ts'

/* Errors of the domain services and their shared composition (libs/service). */
export const ServiceConfigError = defineError(
  'ServiceConfigError',
  'EB_SERVICE_CONFIG',
  'a service environment variable is invalid',
  false,
)
export const StateRestoreError = defineError(
  'StateRestoreError',
  'EB_STATE_RESTORE',
  'a state store could not read its changelog partition to the end in time',
  true,
)
export const UploadTransientError = defineError(
  'UploadTransientError',
  'EB_UPLOAD_TRANSIENT',
  'processing an upload failed for a reason that may pass (simulated or real)',
  true,
)
export const UploadRejectedError = defineError(
  'UploadRejectedError',
  'EB_UPLOAD_REJECTED',
  'an upload cannot be processed, whatever the number of attempts',
  false,
)
