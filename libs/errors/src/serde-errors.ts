import { defineError } from './backbone-error.ts'

/*
 * Serde errors: raised while turning bytes into events and back. Decode errors that are not
 * retriable mean the record can never be read by this consumer: the runtime dead-letters it.
 */
export const BadMagicByteError = defineError(
  'BadMagicByteError',
  'EB_SERDE_BAD_MAGIC_BYTE',
  'the record is not in the Confluent wire format: its first byte is not 0',
  false,
)
export const TruncatedRecordError = defineError(
  'TruncatedRecordError',
  'EB_SERDE_TRUNCATED',
  'the record is shorter than the 5-byte wire format prefix',
  false,
)
export const UnknownSchemaIdError = defineError(
  'UnknownSchemaIdError',
  'EB_SERDE_UNKNOWN_SCHEMA_ID',
  'the schema registry does not know the schema id in the record',
  false,
)
export const AvroDecodeError = defineError(
  'AvroDecodeError',
  'EB_SERDE_AVRO_DECODE',
  'the record body is not valid Avro for its writer schema',
  false,
)
export const IncompatibleReaderError = defineError(
  'IncompatibleReaderError',
  'EB_SERDE_INCOMPATIBLE_READER',
  "the record's writer schema cannot be read with the consumer's reader schema",
  false,
)
export const AvroEncodeError = defineError(
  'AvroEncodeError',
  'EB_SERDE_AVRO_ENCODE',
  'the value does not match the Avro schema of its event type',
  false,
  400,
)
export const RegistryUnavailableError = defineError(
  'RegistryUnavailableError',
  'EB_SERDE_REGISTRY_UNAVAILABLE',
  'the schema registry did not answer',
  true,
)
