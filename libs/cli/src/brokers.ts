import { UsageError } from '@event-backbone/errors'
import { parseBrokerList } from '../../kafka-local/index.ts'
import { processAlive, readState } from './kafka-state.ts'

/**
 * The cluster a command talks to: `--brokers`, else `KAFKA_BROKERS`, else the broker that
 * `backbone kafka start` left running.
 */
export async function resolveBrokers(flag: string | undefined, env = process.env): Promise<string[]> {
  const explicit = flag ?? env['KAFKA_BROKERS']
  if (explicit?.trim()) return parseBrokerList(explicit)
  const state = await readState()
  if (state && processAlive(state.pid)) return [state.bootstrap]
  throw new UsageError(
    'no Kafka cluster given: pass --brokers host:port, set KAFKA_BROKERS, or run `backbone kafka start` first',
  )
}

/** The schema registry URL: `--registry`, else `SCHEMA_REGISTRY_URL`, else the local default. */
export function resolveRegistryUrl(flag: string | undefined, env = process.env): string {
  // An empty value counts as unset, as a shell's `SCHEMA_REGISTRY_URL=` means.
  return (flag?.trim() || env['SCHEMA_REGISTRY_URL']?.trim() || 'http://127.0.0.1:8081').replace(/\/$/, '')
}
