import { rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { BrokerNotRunningError, UsageError } from '@event-backbone/errors'
import {
  startLocalCluster,
  startLocalKafka,
  stopProcessGroup,
  waitForBroker,
} from '../../kafka-local/index.ts'
import {
  clearState,
  type LocalKafkaState,
  processAlive,
  readState,
  stateNodes,
  writeState,
} from './kafka-state.ts'
import { emit, untilSignal } from './output.ts'

export const kafkaUsage = `usage: backbone kafka <start|stop|status> [options]

  start [--nodes N] [--port N] [--data-dir DIR] [--foreground] [--json]
        Starts local Apache Kafka (KRaft) on 127.0.0.1 and prints its address: one combined
        controller+broker node, or with --nodes N (or BACKBONE_KAFKA_NODES) a cluster of N such
        nodes, each its own JVM, all voters of the quorum (--port applies to one node only).
        Without --foreground it keeps running after the command returns; stop it with 'kafka stop'.
  stop  [--json]   Stops every node that 'kafka start' started.
  status [--json]  Lists every node and whether it runs and answers; exit 0 when all do, else 3.`

/** `--nodes`, else BACKBONE_KAFKA_NODES, else 1. */
export function nodeCount(value: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const text = value ?? env['BACKBONE_KAFKA_NODES'] ?? '1'
  const nodes = Number(text)
  if (!(Number.isInteger(nodes) && nodes >= 1 && nodes <= 9)) {
    throw new UsageError(
      `--nodes (or BACKBONE_KAFKA_NODES) needs to be a whole number from 1 to 9, not '${text}'`,
    )
  }
  return nodes
}

async function startKafka(options: { nodes: number; detached: boolean; port?: number; dataDir?: string }) {
  if (options.nodes === 1) {
    const kafka = await startLocalKafka({
      detached: options.detached,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    })
    const state: LocalKafkaState = {
      bootstrap: kafka.bootstrap,
      pid: kafka.pid,
      nodes: [{ nodeId: 1, bootstrap: kafka.bootstrap, pid: kafka.pid, logFile: kafka.logFile }],
      dataDir: kafka.dataDir,
      ownsDataDir: kafka.ownsDataDir,
      logFile: kafka.logFile,
      startedAt: new Date().toISOString(),
    }
    return { state, stop: kafka.stop }
  }
  if (options.port !== undefined)
    throw new UsageError('--port applies to a single node; a cluster picks free ports')
  const cluster = await startLocalCluster({
    nodes: options.nodes,
    detached: options.detached,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  })
  const state: LocalKafkaState = {
    bootstrap: cluster.bootstrap,
    pid: cluster.nodes[0]!.pid,
    nodes: cluster.nodes.map(({ nodeId, bootstrap, pid, logFile }) => ({ nodeId, bootstrap, pid, logFile })),
    dataDir: cluster.dataDir,
    ownsDataDir: cluster.ownsDataDir,
    logFile: cluster.logFile,
    startedAt: new Date().toISOString(),
  }
  return { state, stop: cluster.stop }
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      foreground: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  const nodes = nodeCount(values.nodes)
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new UsageError(`--port needs to be a whole number from 1 to 65535, not '${values.port}'`)
  }
  const existing = await readState()
  if (!values.foreground && existing && stateNodes(existing).some((node) => processAlive(node.pid))) {
    emit(values.json, { ...existing, alreadyRunning: true }, `Kafka already running at ${existing.bootstrap}`)
    return 0
  }
  const started = Date.now()
  const { state, stop } = await startKafka({
    nodes,
    detached: !values.foreground,
    ...(port === undefined ? {} : { port }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
  })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const what = nodes === 1 ? 'Kafka' : `Kafka cluster of ${nodes} nodes`
  emit(
    values.json,
    { ...state, startSeconds: Number(seconds) },
    `${what} running at ${state.bootstrap} (started in ${seconds} s, log ${state.logFile})`,
  )
  if (!values.foreground) {
    await writeState(state)
    return 0
  }
  if (!values.json) process.stdout.write('Press Ctrl-C to stop.\n')
  await untilSignal()
  await stop()
  return 0
}

async function stop(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } })
  const state = await readState()
  if (!state) throw new BrokerNotRunningError()
  await Promise.all(stateNodes(state).map((node) => stopProcessGroup(node.pid)))
  if (state.ownsDataDir) await rm(state.dataDir, { recursive: true, force: true })
  await clearState()
  emit(values.json, { stopped: true, bootstrap: state.bootstrap }, `Kafka at ${state.bootstrap} stopped`)
  return 0
}

async function status(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } })
  const state = await readState()
  const nodes = await Promise.all(
    (state ? stateNodes(state) : []).map(async (node) => {
      const alive = processAlive(node.pid)
      // Asked through this node alone: it answers only when its own listener serves metadata.
      const answering =
        alive &&
        (await waitForBroker([node.bootstrap], { timeoutMs: 5_000 }).then(
          () => true,
          () => false,
        ))
      return { ...node, alive, answering }
    }),
  )
  const alive = nodes.some((node) => node.alive)
  const running = nodes.length > 0 && nodes.every((node) => node.answering)
  const down = nodes.filter((node) => !node.answering)
  const human = !alive
    ? 'Kafka is not running'
    : [
        `Kafka at ${state?.bootstrap}: ${nodes.length - down.length} of ${nodes.length} nodes answer`,
        ...nodes.map(
          (node) =>
            `  node ${node.nodeId} ${node.bootstrap} pid ${node.pid}: ${node.answering ? 'answers' : node.alive ? 'alive, does not answer' : 'down'}`,
        ),
      ].join('\n')
  emit(values.json, { running, alive, ...(state ?? {}), nodes }, human)
  if (state && !alive) await clearState()
  return running ? 0 : 3
}

export async function kafkaCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  switch (sub) {
    case 'start':
      return start(rest)
    case 'stop':
      return stop(rest)
    case 'status':
      return status(rest)
    default:
      throw new UsageError(sub ? `unknown kafka command '${sub}'\n${kafkaUsage}` : kafkaUsage)
  }
}
