import { Kafka, type KafkaConfig } from 'kafkajs'
import { kafkaConfigFromEnv } from '#libs/kafka'
import { kafkaLogCreator, type Logger } from '#libs/observability'

/**
 * The Kafka client of a service: brokers, SASL and TLS from the shared variables (docs/kafka.md),
 * and kafkajs's own logs written through the service's logger (`component: "kafkajs"`, with
 * their namespace), redacted like every other line.
 */
export function serviceKafka(
  env: NodeJS.ProcessEnv,
  logger: Logger,
  overrides: Partial<KafkaConfig> = {},
): Kafka {
  return new Kafka({ ...kafkaConfigFromEnv(env, overrides), logCreator: kafkaLogCreator(logger) })
}
