import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { formatSummary, runDemo, startStack } from '../../stack/index.ts'
import { emit, untilSignal } from './output.ts'

/**
 * The checkout of event-backbone this command runs from: the stack starts the services of its
 * services/ folder, which the published @event-backbone/cli does not carry.
 */
function checkoutRoot(): string {
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
    },
  })
  const root = checkoutRoot()
  const started = Date.now()
  const progress = (line: string) => (values.json ? process.stderr : process.stdout).write(`  ${line}\n`)
  if (!values.json) process.stdout.write('event-backbone: starting the local stack\n')
  const stack = await startStack({
    root,
    logDir: join(root, '.backbone', 'logs'),
    ports: values['free-ports'] ? 'free' : 'default',
    demo: true,
    say: progress,
  })
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
    },
    [
      `event-backbone local stack is up (${seconds} s)`,
      `  Kafka (${stack.kafka.source}): ${stack.kafka.brokers.join(',')}`,
      ...Object.entries(services).map(([name, url]) => `  ${name.padEnd(18)} ${url}`),
      `  service logs: ${stack.logDir}`,
    ].join('\n'),
  )
  const signal = untilSignal()
  if (!values['no-demo']) {
    if (!values.json) process.stdout.write('\nRunning the demo flow:\n')
    const summary = await Promise.race([runDemo(stack, { say: progress }), signal.then(() => undefined)])
    if (summary) emit(values.json, { demo: summary }, formatSummary(summary, stack))
  }
  if (!values.json) process.stdout.write('\nThe stack keeps running. Press Ctrl-C to stop everything.\n')
  await signal
  process.stdout.write('stopping...\n')
  await stack.stop()
  process.stdout.write('stopped cleanly\n')
  return 0
}
