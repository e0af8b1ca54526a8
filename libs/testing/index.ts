// The public surface of @event-backbone/testing: a real Apache Kafka and a schema registry for the
// tests of a service. provideKafka() chooses KAFKA_BROKERS when set, a container where a Docker
// engine answers, and otherwise a single-node KRaft broker from the pinned Apache Kafka jars
// (Java 17+ and Maven needed); startSchemaRegistry() serves the Confluent REST API from a
// compacted topic on that broker.
export type {
  BrokerSecurity,
  LocalKafka,
  LocalKafkaOptions,
  ProvidedKafka,
  ScramUser,
} from '../kafka-local/index.ts'
export {
  freePort,
  KafkaSource,
  provideKafka,
  silenceKafkajsTimeoutWarning,
  startLocalKafka,
} from '../kafka-local/index.ts'
export type { SchemaRegistry, SchemaRegistryOptions } from '../schema-registry/index.ts'
export { startSchemaRegistry } from '../schema-registry/index.ts'
