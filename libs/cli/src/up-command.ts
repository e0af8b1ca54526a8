import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import {
  formatSummary,
  type RunningStack,
  runDemo,
  type SupervisorEvent,
  snapshot,
  stackStateFile,
  startStack,
  writeStackState,
} from '../../stack/index.ts'
import { nodeCount } from './kafka-command.ts'
import { emit, untilSignal } from './output.ts'

/**
 * The checkout of event-backbone this command runs from: the stack starts the services of its
 * services/ folder, which the published @event-backbone/cli does not carry.
 */
export function checkoutRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && existsSync(join(dir, 'services'))) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }
      if (name === 'event-backbone') return dir
    }
  }
  throw new UsageError(
    'backbone up runs the local stack from a checkout of the event-backbone repository (npm start there); ' +
      'this installed CLI has no services to start. Use `backbone kafka start` and `backbone registry start` ' +
      'for a local Kafka and schema registry.',
  )
}

/** One line (or a few) per supervisor event, for the person watching the stack. */
function describeEvent(event: SupervisorEvent): string {
  if (event.type === 'exited') {
    const how = event.signal ? `signal ${event.signal}` : `exit code ${event.code}`
    return [
      `✖ ${event.service} exited unexpectedly (${how}); its last lines:`,
      ...event.lastLines.slice(-5).map((line) => `    | ${line}`),
      event.restartInMs === undefined
        ? ''
        : `  restarting it in ${(event.restartInMs / 1000).toFixed(1)} s (restarts so far: ${event.restarts})`,
    ]
      .filter(Boolean)
      .join('\n')
  }
  if (event.type === 'restarted')
    return `✔ ${event.service} restarted (pid ${event.pid}, restart ${event.restarts})`
  return `✖ ${event.service} stays down: ${event.reason} (backbone status shows it)`
}

/** The local credentials and a request a person can paste to publish one event. */
function credentials(stack: RunningStack): string[] {
  const gateway = stack.services.find((service) => service.name === 'ingest-gateway')?.url
  const event = {
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    source: 'curl',
    sensorId: 'sensor-curl-1',
    kind: 'TEMPERATURE',
    value: 21.5,
    unit: 'Cel',
  }
  return [
    `  gateway API key   ${stack.context.apiKey}   (BACKBONE_DEMO_API_KEY sets it; local stack only)`,
    `  operator token    ${stack.context.operatorToken}   (BACKBONE_DEMO_OPERATOR_TOKEN sets it; the dead-letter console asks for it)`,
    ...(gateway
      ? [
          '  publish one event:',
          `    curl -sS -X POST ${gateway}/v1/events/SensorReading -H 'authorization: Bearer ${stack.context.apiKey}' -H 'content-type: application/json' -d '${JSON.stringify(event)}'`,
        ]
      : []),
  ]
}

export const upUsage = `usage: backbone up [--json] [--free-ports] [--no-demo] [--no-restart] [--kafka-nodes N]
  Boots the local stack (Kafka, registry, services, a demo flow) and runs until Ctrl-C.`

/**
 * The main job: boots the whole local stack (Kafka, registry, topics, schemas, services), prints
 * where everything is, and runs until Ctrl-C, then stops everything cleanly.
 */
export async function upCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      'free-ports': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      'no-restart': { type: 'boolean', default: false },
      'kafka-nodes': { type: 'string' },
    },
  })
  // --kafka-nodes N (or BACKBONE_KAFKA_NODES): the stack on a local cluster of N nodes.
  const kafkaNodes = nodeCount(values['kafka-nodes'])
  const root = checkoutRoot()
  const started = Date.now()
  const progress = (line: string) => (values.json ? process.stderr : process.stdout).write(`  ${line}\n`)
  if (!values.json) process.stdout.write('event-backbone: starting the local stack\n')
  const startedAt = new Date()
  let stack: RunningStack | undefined
  const saveState = () =>
    stack ? writeStackState(root, snapshot(stack, startedAt)).catch(() => {}) : undefined
  stack = await startStack({
    root,
    env: { ...process.env, BACKBONE_KAFKA_NODES: String(kafkaNodes) },
    logDir: join(root, '.backbone', 'logs'),
    ports: values['free-ports'] ? 'free' : 'default',
    demo: true,
    say: progress,
    restart: { enabled: !values['no-restart'] },
    onServiceEvent: (event) => {
      emit(values.json, { serviceEvent: event }, describeEvent(event))
      void saveState()
    },
  })
  await saveState()
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const services = Object.fromEntries(
    [stack.registry, ...stack.services].map((service) => [service.name, service.url]),
  )
  emit(
    values.json,
    {
      kafka: { source: stack.kafka.source, brokers: stack.kafka.brokers, logFile: stack.kafka.logFile },
      services,
      logDir: stack.logDir,
      startSeconds: Number(seconds),
      apiKey: stack.context.apiKey,
      operatorToken: stack.context.operatorToken,
    },
    [
      `event-backbone local stack is up (${seconds} s)`,
      `  Kafka (${stack.kafka.source}): ${stack.kafka.brokers.join(',')}`,
      ...Object.entries(services).map(([name, url]) => `  ${name.padEnd(18)} ${url}`),
      `  service logs: ${stack.logDir}`,
      ...credentials(stack),
      `  backbone status shows every service; a service that dies is restarted${values['no-restart'] ? ' (off: --no-restart)' : ''}`,
    ].join('\n'),
  )
  const signal = untilSignal()
  if (!values['no-demo']) {
    if (!values.json) process.stdout.write('\nRunning the demo flow:\n')
    const running = stack
    const summary = await Promise.race([runDemo(running, { say: progress }), signal.then(() => undefined)])
    if (summary) emit(values.json, { demo: summary }, formatSummary(summary, running))
  }
  if (!values.json) process.stdout.write('\nThe stack keeps running. Press Ctrl-C to stop everything.\n')
  await signal
  process.stdout.write('stopping...\n')
  await stack.stop()
  await rm(stackStateFile(root), { force: true })
  process.stdout.write('stopped cleanly\n')
  return 0
}
