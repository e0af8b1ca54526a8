import { defineError } from './backbone-error.ts'

/*
 * Schema registry client errors: the registry answered, but refused. An unreachable registry is
 * RegistryUnavailableError and an unknown id UnknownSchemaIdError (serde-errors.ts).
 */
export const RegistryIncompatibleSchemaError = defineError(
  'RegistryIncompatibleSchemaError',
  'EB_REGISTRY_CLIENT_INCOMPATIBLE',
  "the schema registry refused the schema: it is not compatible with the subject's earlier versions",
  false,
)
export const RegistryRequestRejectedError = defineError(
  'RegistryRequestRejectedError',
  'EB_REGISTRY_CLIENT_REJECTED',
  'the schema registry refused the request (invalid schema, credentials or compatibility level)',
  false,
)
