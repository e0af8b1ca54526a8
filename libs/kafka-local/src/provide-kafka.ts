import { containerRuntimeAvailable, startContainerKafka } from './container-broker.ts'
import { startLocalKafka } from './local-broker.ts'
import { startLocalCluster } from './local-cluster.ts'
import { waitForBroker } from './wait-ready.ts'

export const KafkaSource = {
  external: 'external',
  container: 'container',
  local: 'local',
} as const
export type KafkaSource = (typeof KafkaSource)[keyof typeof KafkaSource]

export interface ProvidedKafka {
  readonly source: KafkaSource
  readonly brokers: readonly string[]
  /** Where to look when something went wrong (the local broker's log), if known. */
  readonly logFile?: string
  stop(): Promise<void>
}

/** Parses `KAFKA_BROKERS` ("host:port,host:port"). */
export function parseBrokerList(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0)
}

/**
 * One Kafka cluster for a test run or the local stack. `KAFKA_BROKERS` means: use that cluster and
 * start nothing (it must answer within the timeout). Otherwise a container where a Docker engine
 * answers, else the pinned Apache Kafka jars on loopback. `BACKBONE_KAFKA=local|container` forces one.
 * `BACKBONE_KAFKA_NODES=N` (N > 1) starts a local cluster of N nodes from the jars instead.
 */
export async function provideKafka(env: NodeJS.ProcessEnv = process.env): Promise<ProvidedKafka> {
  const external = env['KAFKA_BROKERS']?.trim()
  if (external) {
    const brokers = parseBrokerList(external)
    await waitForBroker(brokers, { timeoutMs: Number(env['KAFKA_CONNECT_TIMEOUT_MS'] ?? 15_000) })
    return { source: KafkaSource.external, brokers, stop: async () => {} }
  }
  const nodes = Number(env['BACKBONE_KAFKA_NODES'] ?? 1)
  if (!(Number.isInteger(nodes) && nodes >= 1 && nodes <= 9)) {
    throw new RangeError(
      `BACKBONE_KAFKA_NODES needs to be a whole number from 1 to 9, not '${env['BACKBONE_KAFKA_NODES']}'`,
    )
  }
  if (nodes > 1) {
    const cluster = await startLocalCluster({ nodes })
    return {
      source: KafkaSource.local,
      brokers: cluster.brokers,
      logFile: cluster.logFile,
      stop: cluster.stop,
    }
  }
  const forced = env['BACKBONE_KAFKA']
  const useContainer = forced === 'container' || (forced !== 'local' && (await containerRuntimeAvailable()))
  if (useContainer) {
    const kafka = await startContainerKafka()
    return { source: KafkaSource.container, ...kafka }
  }
  const kafka = await startLocalKafka()
  return { source: KafkaSource.local, brokers: kafka.brokers, logFile: kafka.logFile, stop: kafka.stop }
}
