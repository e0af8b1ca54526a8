import { userInfo } from 'node:os'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { Kafka } from 'kafkajs'
import { kafkaConfigFromEnv } from '../../../kafka/index.ts'
import { resolveBrokers, resolveRegistryUrl } from '../brokers.ts'

export interface DlqContext {
  readonly kafka: Kafka
  readonly serde: EventSerde | undefined
  readonly operator: string
}

/**
 * The cluster, the registry (`--registry`, else SCHEMA_REGISTRY_URL, else the local default, as
 * every command; a value it cannot decode is shown as text or bytes) and who is acting: `--by`, else `DLQ_OPERATOR`, else the login name.
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
  // One retry: an operator's command should not hang on a registry that is not there.
  const serde = new EventSerde(
    new ConfluentRegistryClient(resolveRegistryUrl(values.registry), { retries: 1 }),
  )
  const operator = values.by ?? process.env['DLQ_OPERATOR'] ?? userInfo().username
  return { kafka, serde, operator }
}

export const connectionOptions = {
  brokers: { type: 'string' },
  registry: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const
