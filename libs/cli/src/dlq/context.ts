import { userInfo } from 'node:os'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { Kafka } from 'kafkajs'
import { kafkaConfigFromEnv } from '../../../kafka/index.ts'
import { resolveBrokers } from '../brokers.ts'

export interface DlqContext {
  readonly kafka: Kafka
  readonly serde: EventSerde | undefined
  readonly operator: string
}

/**
 * The cluster, the registry (only when one is named: without it Avro values are shown as bytes)
 * and who is acting: `--by`, else `DLQ_OPERATOR`, else the login name.
 */
export async function dlqContext(values: {
  brokers?: string
  registry?: string
  by?: string
}): Promise<DlqContext> {
  const brokers = await resolveBrokers(values.brokers)
  const kafka = new Kafka(
    kafkaConfigFromEnv({ ...process.env, KAFKA_BROKERS: brokers.join(',') }, { clientId: 'backbone-dlq' }),
  )
  const registryUrl = values.registry ?? process.env['SCHEMA_REGISTRY_URL']
  const serde = registryUrl ? new EventSerde(new ConfluentRegistryClient(registryUrl)) : undefined
  const operator = values.by ?? process.env['DLQ_OPERATOR'] ?? userInfo().username
  return { kafka, serde, operator }
}

export const connectionOptions = {
  brokers: { type: 'string' },
  registry: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const
