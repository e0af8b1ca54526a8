import { rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { BrokerNotRunningError, UsageError } from '@event-backbone/errors'
import { startLocalKafka, stopProcessGroup, waitForBroker } from '../../kafka-local/index.ts'
import { clearState, processAlive, readState, writeState } from './kafka-state.ts'
import { emit, untilSignal } from './output.ts'

export const kafkaUsage = `usage: backbone kafka <start|stop|status> [options]

  start [--port N] [--data-dir DIR] [--foreground] [--json]
        Starts a local Apache Kafka broker (KRaft, one node) on 127.0.0.1 and prints its address.
        Without --foreground it keeps running after the command returns; stop it with 'kafka stop'.
  stop  [--json]   Stops the broker that 'kafka start' started.
  status [--json]  Says whether it runs and answers (exit 0) or not (exit 3).`

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      foreground: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new UsageError(`--port needs to be a whole number from 1 to 65535, not '${values.port}'`)
  }
  const existing = await readState()
  if (!values.foreground && existing && processAlive(existing.pid)) {
    emit(values.json, { ...existing, alreadyRunning: true }, `Kafka already running at ${existing.bootstrap}`)
    return 0
  }
  const started = Date.now()
  const kafka = await startLocalKafka({
    detached: !values.foreground,
    ...(port === undefined ? {} : { port }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
  })
  const state = {
    bootstrap: kafka.bootstrap,
    pid: kafka.pid,
    dataDir: kafka.dataDir,
    ownsDataDir: kafka.ownsDataDir,
    logFile: kafka.logFile,
    startedAt: new Date().toISOString(),
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  emit(
    values.json,
    { ...state, startSeconds: Number(seconds) },
    `Kafka running at ${kafka.bootstrap} (started in ${seconds} s, log ${kafka.logFile})`,
  )
  if (!values.foreground) {
    await writeState(state)
    return 0
  }
  if (!values.json) process.stdout.write('Press Ctrl-C to stop.\n')
  await untilSignal()
  await kafka.stop()
  return 0
}

async function stop(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } })
  const state = await readState()
  if (!state) throw new BrokerNotRunningError()
  await stopProcessGroup(state.pid)
  if (state.ownsDataDir) await rm(state.dataDir, { recursive: true, force: true })
  await clearState()
  emit(values.json, { stopped: true, bootstrap: state.bootstrap }, `Kafka at ${state.bootstrap} stopped`)
  return 0
}

async function status(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } })
  const state = await readState()
  const alive = state !== undefined && processAlive(state.pid)
  let answering = false
  if (state && alive) {
    answering = await waitForBroker([state.bootstrap], { timeoutMs: 5_000 }).then(
      () => true,
      () => false,
    )
  }
  const running = alive && answering
  const human = running
    ? `Kafka running at ${state?.bootstrap} (pid ${state?.pid}, log ${state?.logFile})`
    : alive
      ? `Kafka process ${state?.pid} is alive but ${state?.bootstrap} does not answer`
      : 'Kafka is not running'
  emit(values.json, { running, alive, ...(state ?? {}) }, human)
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
