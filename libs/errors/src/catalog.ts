import { defineError } from './backbone-error.ts'

/*
 * The error catalogue. Every code is prefixed `EB_`, appears once here and once in docs/errors.md
 * (a contract test keeps the two in step). Add new errors at the end of their group.
 */

// Local Kafka broker and test harness
export const JavaNotFoundError = defineError(
  'JavaNotFoundError',
  'EB_JAVA_NOT_FOUND',
  'Java 17 or newer is needed to run the local Kafka broker: install a JDK or set JAVA_HOME',
  false,
)
export const JavaTooOldError = defineError(
  'JavaTooOldError',
  'EB_JAVA_TOO_OLD',
  'the local Kafka broker needs Java 17 or newer',
  false,
)
export const MavenNotFoundError = defineError(
  'MavenNotFoundError',
  'EB_MAVEN_NOT_FOUND',
  'Maven (mvn) is needed once to fetch the Apache Kafka jars: install Maven or set BACKBONE_MVN',
  false,
)
export const ClasspathResolutionError = defineError(
  'ClasspathResolutionError',
  'EB_KAFKA_CLASSPATH',
  'could not resolve the Apache Kafka jars through Maven',
  true,
)
export const PortInUseError = defineError(
  'PortInUseError',
  'EB_PORT_IN_USE',
  'the port is already in use',
  false,
)
export const BrokerStartError = defineError(
  'BrokerStartError',
  'EB_BROKER_START',
  'the local Kafka broker did not start',
  true,
)
export const BrokerUnreachableError = defineError(
  'BrokerUnreachableError',
  'EB_BROKER_UNREACHABLE',
  'the Kafka cluster did not answer',
  true,
)
export const BrokerNotRunningError = defineError(
  'BrokerNotRunningError',
  'EB_BROKER_NOT_RUNNING',
  'no local Kafka broker started by backbone is running',
  false,
)

// Command line
export const UsageError = defineError('UsageError', 'EB_USAGE', 'invalid command line', false, 400)

// The local stack (backbone up)
export const ServiceStartError = defineError(
  'ServiceStartError',
  'EB_SERVICE_START',
  'a service of the local stack did not start',
  true,
)
