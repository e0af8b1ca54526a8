import { parseArgs } from 'node:util'
import { readStackState } from '../../stack/index.ts'
import { processAlive } from './kafka-state.ts'
import { emit } from './output.ts'
import { checkoutRoot } from './up-command.ts'

export const statusUsage = `usage: backbone status [--json]
  every service of the stack that backbone up runs in this checkout: pid, ready (its /readyz
  answers 200 now), state (ready, restarting, down), restarts, URL; exits 1 when no stack runs or
  a service is not ready`

async function isReady(url: string): Promise<boolean> {
  return fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
    (response) => response.status === 200,
    () => false,
  )
}

export async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } })
  const state = await readStackState(checkoutRoot())
  if (state === undefined || !processAlive(state.pid)) {
    emit(
      values.json,
      { running: false },
      state === undefined
        ? 'no local stack is running in this checkout (start one with npm start)'
        : `the stack's backbone up (pid ${state.pid}) is gone; its services stopped with it`,
    )
    return 1
  }
  const services = await Promise.all(
    state.services.map(async (service) => ({ ...service, ready: await isReady(service.url) })),
  )
  const human = [
    `local stack of backbone up (pid ${state.pid}), started ${state.startedAt}; Kafka (${state.kafka.source}) ${state.kafka.brokers.join(',')}`,
    `  ${'service'.padEnd(18)} ${'pid'.padEnd(8)} ${'ready'.padEnd(6)} ${'state'.padEnd(11)} ${'restarts'.padEnd(9)} url`,
    ...services.map(
      (service) =>
        `  ${service.name.padEnd(18)} ${String(service.pid ?? '-').padEnd(8)} ${(service.ready ? 'yes' : 'NO').padEnd(6)} ${service.state.padEnd(11)} ${String(service.restarts).padEnd(9)} ${service.url}`,
    ),
  ].join('\n')
  emit(
    values.json,
    { running: true, pid: state.pid, startedAt: state.startedAt, kafka: state.kafka, services },
    human,
  )
  return services.every((service) => service.ready) ? 0 : 1
}
