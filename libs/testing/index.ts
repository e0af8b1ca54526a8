// The public surface of @event-backbone/testing: a real Apache Kafka and a schema registry for the
// tests of a service. provideKafka() chooses KAFKA_BROKERS when set, a container where a Docker
// engine answers, and otherwise a single-node KRaft broker from the pinned Apache Kafka jars
// (Java 17+ and Maven needed); startLocalCluster() starts a multi-node KRaft cluster from the same
// jars (BACKBONE_KAFKA_NODES=3 makes provideKafka() do so); startSchemaRegistry() serves the
// Confluent REST API from a compacted topic on that broker.
export type {
  BrokerSecurity,
  ClusterNode,
  LocalCluster,
  LocalClusterOptions,
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
  startLocalCluster,
  startLocalKafka,
} from '../kafka-local/index.ts'
export type { SchemaRegistry, SchemaRegistryOptions } from '../schema-registry/index.ts'
export { startSchemaRegistry } from '../schema-registry/index.ts'
