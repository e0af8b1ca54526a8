/**
 * Errors of the HTTP API, in Confluent Schema Registry's numbering: the clients read `error_code`
 * and the HTTP status, so both must match what CSR and Karapace answer.
 */
export class RegistryHttpError extends Error {
  readonly status: number
  readonly errorCode: number

  constructor(status: number, errorCode: number, message: string) {
    super(message)
    this.name = 'RegistryHttpError'
    this.status = status
    this.errorCode = errorCode
  }

  body(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message }
  }
}

const notFound = (code: number, message: string) => new RegistryHttpError(404, code, message)
const unprocessable = (code: number, message: string) => new RegistryHttpError(422, code, message)

export const httpErrors = {
  subjectNotFound: (subject: string) => notFound(40401, `Subject '${subject}' not found.`),
  versionNotFound: (subject: string, version: string | number) =>
    notFound(40402, `Version ${version} not found for subject '${subject}'.`),
  schemaNotFound: (detail = 'Schema not found') => notFound(40403, detail),
  subjectSoftDeleted: (subject: string) =>
    notFound(40404, `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string) =>
    notFound(40405, `Subject '${subject}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (subject: string, version: number) =>
    notFound(
      40406,
      `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`,
    ),
  versionNotSoftDeleted: (subject: string, version: number) =>
    notFound(
      40407,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
    ),
  subjectLevelCompatibilityNotConfigured: (subject: string) =>
    notFound(40408, `Subject '${subject}' does not have subject-level compatibility configured`),
  subjectLevelModeNotConfigured: (subject: string) =>
    notFound(40409, `Subject '${subject}' does not have subject-level mode configured`),
  associationNotFound: (resource: string) =>
    notFound(40410, `No association found for resource '${resource}'`),
  incompatible: (subject: string, messages: readonly string[]) =>
    new RegistryHttpError(
      409,
      409,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(', ')}]`,
    ),
  invalidSchema: (detail: string) => unprocessable(42201, `Invalid schema: ${detail}`),
  invalidVersion: (version: string) =>
    unprocessable(
      42202,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidCompatibilityLevel: (level: unknown) =>
    unprocessable(
      42203,
      `Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive (got ${JSON.stringify(level)})`,
    ),
  invalidMode: (mode: unknown) =>
    unprocessable(
      42204,
      `Invalid mode. Valid values are READWRITE, READONLY, IMPORT (got ${JSON.stringify(mode)})`,
    ),
  operationNotPermitted: (detail: string) => unprocessable(42205, detail),
  referenceExists: (detail: string) => unprocessable(42206, detail),
  schemaTooLarge: (detail: string) => unprocessable(42209, `Schema too large: ${detail}`),
  invalidRuleSet: (detail: string) => unprocessable(42210, `Invalid rule set: ${detail}`),
  bodyTooLarge: (limit: number) =>
    new RegistryHttpError(413, 413, `Request body larger than the limit of ${limit} bytes`),
  storeError: (detail: string) =>
    new RegistryHttpError(500, 50001, `Error in the backend data store: ${detail}`),
  timeout: (detail: string) => new RegistryHttpError(500, 50002, `Operation timed out: ${detail}`),
  leaderUnavailable: (detail: string) =>
    new RegistryHttpError(500, 50003, `Error while forwarding the request to the leader: ${detail}`),
} as const
