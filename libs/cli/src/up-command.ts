import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { formatSummary, runDemo, startStack } from '../../stack/index.ts'
import { emit, untilSignal } from './output.ts'

const root = new URL('../../../', import.meta.url).pathname

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
