import { ServiceConfigError } from '@event-backbone/errors'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { Kafka } from 'kafkajs'
import { kafkaConfigFromEnv } from '#libs/kafka'

/** What a service needs to publish and subscribe by event type, built from its environment. */
export interface BackboneConnection {
  readonly kafka: Kafka
  readonly serde: EventSerde
}

/**
 * The Kafka client (`KAFKA_BROKERS` and the security variables of docs/kafka.md) and the serde on
 * the registry at `SCHEMA_REGISTRY_URL`. A missing or bad variable fails here, naming it, before
 * anything connects.
 */
export function backboneFromEnv(env: NodeJS.ProcessEnv = process.env): BackboneConnection {
  const kafka = new Kafka(kafkaConfigFromEnv(env))
  const registryUrl = env['SCHEMA_REGISTRY_URL']?.trim()
  if (!registryUrl) {
    throw new ServiceConfigError('SCHEMA_REGISTRY_URL is not set: the schema registry URL is needed', {
      context: { variable: 'SCHEMA_REGISTRY_URL' },
    })
  }
  return { kafka, serde: new EventSerde(new ConfluentRegistryClient(registryUrl)) }
}
