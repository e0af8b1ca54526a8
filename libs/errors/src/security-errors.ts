import { defineError } from './backbone-error.ts'

/* Security errors: SCRAM users of the local broker and the access manifest behind the ACLs. */
export const ScramUserError = defineError(
  'ScramUserError',
  'EB_SCRAM_USER',
  'a SCRAM user name or password cannot be used (empty, or characters the broker config cannot carry)',
  false,
)
export const AccessManifestError = defineError(
  'AccessManifestError',
  'EB_ACCESS_MANIFEST',
  'the access manifest is inconsistent (unknown event type, duplicate principal or group)',
  false,
)
export const KafkaAuthenticationError = defineError(
  'KafkaAuthenticationError',
  'EB_KAFKA_AUTH',
  'the Kafka cluster refused the SASL credentials',
  false,
)
export const ScramCredentialError = defineError(
  'ScramCredentialError',
  'EB_SCRAM_CREDENTIAL',
  'kafka-configs could not create or change a SCRAM credential',
  false,
)
