import { randomBytes } from 'node:crypto'
import { type BrokerSecurity, securitySettings } from './broker-security.ts'
import type { BrokerTls } from './broker-tls.ts'

export interface BrokerPorts {
  readonly broker: number
  readonly controller: number
}

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding, as `kafka-storage random-uuid` prints.
 * Like Kafka's Uuid.randomUuid, never one starting with "-": kafka-storage would read it as an option.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

/** One member of a KRaft quorum: its node id and controller port. */
export interface QuorumVoter {
  readonly nodeId: number
  readonly controllerPort: number
}

/**
 * server.properties for one node that is both broker and controller, on loopback only: the single
 * node by default, or one of `voters` (a static quorum of combined nodes, libs/kafka-local
 * local-cluster.ts). Internal topics get few partitions, so the first consumer group and the first
 * transaction do not wait for 50 partitions to be created, and the replication of the durability
 * profile (RF = min(3, nodes), min ISR = RF - 1): `__consumer_offsets` and `__transaction_state` are
 * topics the backbone's exactly-once depends on like its own.
 */
export function serverProperties(options: {
  host: string
  ports: BrokerPorts
  dataDir: string
  security?: BrokerSecurity
  tls?: BrokerTls
  nodeId?: number
  voters?: readonly QuorumVoter[]
}): string {
  const { host, ports, dataDir } = options
  const nodeId = options.nodeId ?? 1
  const voters = options.voters ?? [{ nodeId, controllerPort: ports.controller }]
  const replicas = Math.min(3, voters.length)
  const minIsr = Math.max(1, replicas - 1)
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': voters.map((v) => `${v.nodeId}@${host}:${v.controllerPort}`).join(','),
    listeners: `PLAINTEXT://${host}:${ports.broker},CONTROLLER://${host}:${ports.controller}`,
    'advertised.listeners': `PLAINTEXT://${host}:${ports.broker}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 1,
    'default.replication.factor': replicas,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replicas,
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': 4,
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': minIsr,
    'group.initial.rebalance.delay.ms': 0,
    // Topics are the backbone's to provision: a typo in a topic name must fail, not create a topic.
    'auto.create.topics.enable': false,
    'log.retention.check.interval.ms': 60_000,
    'log.segment.delete.delay.ms': 1_000,
  }
  if (voters.length > 1) {
    // A crashed node is fenced and its partitions led elsewhere after this long without a heartbeat
    // (Kafka's default is 9 s; on loopback nothing but a crash delays a heartbeat by seconds).
    settings['broker.session.timeout.ms'] = 6_000
    settings['broker.heartbeat.interval.ms'] = 1_000
  }
  if (options.security) {
    Object.assign(
      settings,
      securitySettings(
        options.security,
        { host, broker: ports.broker, controller: ports.controller },
        options.tls,
      ),
    )
  }
  return `${Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`
}

/** log4j2 configuration that writes the broker's own log to one file and nothing to the console. */
export function log4j2Properties(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    'logger.kafka.name = kafka',
    'logger.kafka.level = info',
    'logger.state.name = state.change.logger',
    'logger.state.level = warn',
    '',
  ].join('\n')
}
