import { setTimeout as delay } from 'node:timers/promises'
import { freePort } from './ports.ts'
import { waitForBroker } from './wait-ready.ts'

/** The image of the same Kafka version the local jars pin (libs/kafka-local/maven/pom.xml). */
export const kafkaImage = 'apache/kafka:4.1.2'

export interface ContainerKafka {
  readonly brokers: readonly string[]
  stop(): Promise<void>
}

/**
 * True when a Docker (or Podman) engine answers. A docker CLI without an engine, as on machines
 * that only ship the client, answers false within the timeout instead of hanging.
 */
export async function containerRuntimeAvailable(timeoutMs = 10_000): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers')
    const probe = getContainerRuntimeClient().then(
      () => true,
      () => false,
    )
    return await Promise.race([probe, delay(timeoutMs, false, { ref: false })])
  } catch {
    return false
  }
}

/**
 * Runs the Apache Kafka image in KRaft combined mode. The host port is fixed before the container
 * starts so the advertised listener can name it (a mapped random port is only known afterwards).
 */
export async function startContainerKafka(): Promise<ContainerKafka> {
  const { GenericContainer, Wait } = await import('testcontainers')
  const hostPort = await freePort()
  const container = await new GenericContainer(kafkaImage)
    .withExposedPorts({ container: 19092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:19092,CONTROLLER://localhost:9093,INTERNAL://localhost:9094',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort},INTERNAL://localhost:9094`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '4',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS: '4',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(120_000)
    .start()
  const brokers = [`127.0.0.1:${hostPort}`]
  await waitForBroker(brokers, { timeoutMs: 60_000 })
  return { brokers, stop: async () => void (await container.stop({ timeout: 30_000 })) }
}
