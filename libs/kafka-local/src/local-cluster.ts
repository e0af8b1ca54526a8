import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BrokerStartError } from '@event-backbone/errors'
import { Kafka, logLevel } from 'kafkajs'
import { log4j2Properties, newClusterId, type QuorumVoter, serverProperties } from './broker-config.ts'
import { resolveKafkaClasspath } from './classpath.ts'
import { checkJava, javaExecutable } from './java.ts'
import { formatStorage, lastErrorLine, stopProcessGroup } from './local-broker.ts'
import { jvmArgs, type NodeProcess, spawnNode } from './node-process.ts'
import { freePort } from './ports.ts'
import { waitForBroker } from './wait-ready.ts'

export interface LocalClusterOptions {
  /** Combined controller+broker nodes, all of them voters of the KRaft quorum. */
  readonly nodes: number
  readonly host?: string
  /** Parent of the nodes' data directories (`node-<id>`); a fresh temporary one when not given. */
  readonly dataDir?: string
  /** Detached nodes outlive the process that started them (`backbone kafka start --nodes 3`). */
  readonly detached?: boolean
  readonly startTimeoutMs?: number
  /** Maximum heap per node. */
  readonly heapMb?: number
}

export interface ClusterNode {
  readonly nodeId: number
  readonly bootstrap: string
  readonly controllerPort: number
  /** Process group of the node (the wrapper's pid). */
  readonly pid: number
  readonly dataDir: string
  readonly logFile: string
}

export interface LocalCluster {
  /** Every node's address, comma-separated: what KAFKA_BROKERS takes. */
  readonly bootstrap: string
  readonly brokers: readonly string[]
  readonly nodes: readonly ClusterNode[]
  readonly dataDir: string
  readonly ownsDataDir: boolean
  /** The first node's log: where to look first. */
  readonly logFile: string
  /**
   * Stops one node: SIGTERM is Kafka's controlled shutdown (leadership moved away first), SIGKILL
   * a crash. Its data directory stays, for `startNode`.
   */
  stopNode(nodeId: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Starts a stopped node again on its ports and data; resolves once every node is registered. */
  startNode(nodeId: number, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

/**
 * Measured on a 2-core machine with three nodes, the services and the test suite: 512 MB of heap
 * per node is never used up by the local workloads (heap after GC stays well below it), and three
 * JVMs of about 0.6 GB RSS each leave room for everything else in 24 GB (docs/local-kafka.md).
 */
export const clusterNodeHeapMb = 512

interface PreparedNode {
  readonly nodeId: number
  readonly port: number
  readonly controllerPort: number
  readonly dataDir: string
  readonly logDir: string
  readonly logFile: string
  readonly propertiesFile: string
  readonly log4jFile: string
}

async function prepareNode(
  base: string,
  nodeId: number,
  host: string,
): Promise<Omit<PreparedNode, 'propertiesFile'>> {
  const dataDir = join(base, `node-${nodeId}`)
  const logDir = join(dataDir, 'logs')
  await mkdir(logDir, { recursive: true })
  return {
    nodeId,
    port: await freePort(host),
    controllerPort: await freePort(host),
    dataDir,
    logDir,
    logFile: join(logDir, 'server.log'),
    log4jFile: join(dataDir, 'log4j2.properties'),
  }
}

/**
 * Has the cluster create `__consumer_offsets` and `__transaction_state` now, while every node runs:
 * Kafka creates them on the first coordinator lookup and refuses to with fewer live brokers than
 * their replication factor, so a cluster that loses a node before its first consumer group or
 * transaction could serve neither, which no long-running production cluster shows.
 */
async function createInternalTopics(brokers: readonly string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'backbone-cluster-warmup',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  })
  const admin = kafka.admin()
  const producer = kafka.producer({
    transactionalId: `backbone-cluster-warmup-${process.pid}`,
    maxInFlightRequests: 1,
  })
  try {
    await Promise.all([
      admin.connect().then(() => admin.describeGroups(['backbone-cluster-warmup'])),
      producer.connect(),
    ])
  } finally {
    await Promise.allSettled([admin.disconnect(), producer.disconnect()])
  }
}

/**
 * Starts a KRaft cluster of `nodes` combined controller+broker nodes on loopback, each in its own
 * JVM, all from the same pinned jars and one cluster id, with a static quorum of all nodes. Resolves
 * once every node is registered as a broker. Replication of internal topics and the defaults of
 * created topics follow the durability profile (RF = min(3, nodes), min ISR = RF - 1).
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const count = options.nodes
  if (!Number.isInteger(count) || count < 1 || count > 9) {
    throw new RangeError(`a local cluster has 1 to 9 nodes, not ${count}`)
  }
  const host = options.host ?? '127.0.0.1'
  const java = javaExecutable()
  const [, classpath] = await Promise.all([checkJava(java), resolveKafkaClasspath()])
  const ownsDataDir = options.dataDir === undefined
  const base = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'event-backbone-cluster-')))
  const detached = options.detached ?? false

  const prepared: PreparedNode[] = []
  for (let nodeId = 1; nodeId <= count; nodeId++) {
    const node = await prepareNode(base, nodeId, host)
    prepared.push({ ...node, propertiesFile: join(node.dataDir, 'server.properties') })
  }
  const voters: QuorumVoter[] = prepared.map((n) => ({ nodeId: n.nodeId, controllerPort: n.controllerPort }))
  const clusterId = newClusterId()
  await Promise.all(
    prepared.map(async (node) => {
      const properties = serverProperties({
        host,
        ports: { broker: node.port, controller: node.controllerPort },
        dataDir: join(node.dataDir, 'kraft'),
        nodeId: node.nodeId,
        voters,
      })
      await writeFile(node.propertiesFile, properties)
      await writeFile(node.log4jFile, log4j2Properties(node.logFile))
      await writeFile(
        `${node.logFile}.log4j2.properties`,
        log4j2Properties(join(node.logDir, 'storage-tool.log')),
      )
      await formatStorage(java, classpath, node.propertiesFile, node.logFile, undefined, clusterId)
    }),
  )

  const running: { node: PreparedNode; process: NodeProcess }[] = []
  const stopAll = async (graceMs?: number) => {
    await Promise.all(running.map(({ process }) => stopProcessGroup(process.pid, graceMs)))
  }
  const heapMb = options.heapMb ?? clusterNodeHeapMb
  const spawnPrepared = (node: PreparedNode) =>
    spawnNode({
      java,
      args: jvmArgs({
        heapMb,
        initialHeapMb: Math.min(128, heapMb),
        log4jFile: node.log4jFile,
        logDir: node.logDir,
        classpath,
        propertiesFile: node.propertiesFile,
      }),
      logDir: node.logDir,
      detached,
      // The first node's wrapper removes the whole cluster directory when the owner is gone.
      ...(ownsDataDir && !detached && node.nodeId === 1 ? { orphanDir: base } : {}),
    })
  for (const node of prepared) running.push({ node, process: spawnPrepared(node) })

  const brokers = prepared.map((node) => `${host}:${node.port}`)
  try {
    await waitForBroker(brokers, {
      timeoutMs: options.startTimeoutMs ?? 180_000,
      minBrokers: count,
      abortIf: () => {
        const dead = running.find(({ process }) => process.exited() !== undefined)
        if (!dead) return undefined
        const log = dead.node.logFile
        return new BrokerStartError(
          `Kafka node ${dead.node.nodeId} exited (${dead.process.exited()}) while starting: ${lastErrorLine(log) ?? `see ${log}`}`,
        )
      },
    })
    await createInternalTopics(brokers)
  } catch (error) {
    await stopAll(5_000)
    if (ownsDataDir) await rm(base, { recursive: true, force: true })
    throw error instanceof BrokerStartError
      ? error
      : new BrokerStartError(`${(error as Error).message}; node logs under ${base}`, { cause: error })
  }

  const entry = (nodeId: number) => {
    const found = running.find(({ node }) => node.nodeId === nodeId)
    if (!found) throw new RangeError(`the cluster has no node ${nodeId}`)
    return found
  }
  return {
    bootstrap: brokers.join(','),
    brokers,
    get nodes() {
      return running.map(({ node, process }) => ({
        nodeId: node.nodeId,
        bootstrap: `${host}:${node.port}`,
        controllerPort: node.controllerPort,
        pid: process.pid,
        dataDir: node.dataDir,
        logFile: node.logFile,
      }))
    },
    dataDir: base,
    ownsDataDir,
    logFile: prepared[0]!.logFile,
    stopNode: async (nodeId, signal) => {
      const { process } = entry(nodeId)
      if (signal === 'SIGKILL') {
        try {
          globalThis.process.kill(-process.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      await stopProcessGroup(process.pid)
    },
    startNode: async (nodeId, timeoutMs = 120_000) => {
      const found = entry(nodeId)
      if (found.process.exited() === undefined) throw new Error(`node ${nodeId} is still running`)
      found.process = spawnPrepared(found.node)
      await waitForBroker(brokers, {
        timeoutMs,
        minBrokers: count,
        abortIf: () =>
          found.process.exited() === undefined
            ? undefined
            : new BrokerStartError(
                `Kafka node ${nodeId} exited (${found.process.exited()}) while restarting`,
              ),
      })
    },
    stop: async () => {
      await stopAll()
      if (ownsDataDir) await rm(base, { recursive: true, force: true })
    },
  }
}
