import { createHash } from 'node:crypto'

/**
 * The services of the local stack: what `backbone up` starts, and what docker-compose.yml runs
 * (test/unit/stack/compose.test.ts keeps the two in step). Every service reads the shared
 * environment contract: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, SERVICE_HOST, SERVICE_PORT, LOG_LEVEL.
 */
export interface StackService {
  readonly name: string
  readonly entry: string
  /** The HTTP port it listens on by default (ops routes, and its API where it has one). */
  readonly defaultPort: number
  /** What it does, for the summary and the docs. */
  readonly role: string
  /** Variables of its own, beyond the shared contract, that the stack sets (name → value). */
  readonly env?: (context: StackContext) => Readonly<Record<string, string>>
  /** Services that must be ready first; their URLs are in `context.urls` when `env` is called. */
  readonly dependsOn?: readonly string[]
}

export interface StackContext {
  readonly brokers: readonly string[]
  readonly registryUrl: string
  /** Settings that make the demo's failures and windows quick to see. */
  readonly demo: boolean
  readonly apiKey: string
  readonly operatorToken: string
  /** The Standard Webhooks secret the trigger signs with and the demo function checks. */
  readonly functionSecret: string
  /** URLs of the services started so far, by name. */
  readonly urls: Readonly<Record<string, string>>
}

export const registryService: StackService = {
  name: 'schema-registry',
  entry: 'services/schema-registry/main.ts',
  defaultPort: 8081,
  role: 'Confluent-compatible schema registry',
}

export const stackServices: readonly StackService[] = [
  {
    name: 'ingest-gateway',
    entry: 'services/ingest-gateway/main.ts',
    defaultPort: 8080,
    role: 'HTTP ingest of domain events',
    env: (context) => ({
      INGEST_API_KEYS: `demo:${createHash('sha256').update(context.apiKey).digest('hex')}:*`,
    }),
  },
  {
    name: 'upload-processor',
    entry: 'services/upload-processor/main.ts',
    defaultPort: 9101,
    role: 'uploads → uploads-processed (at-least-once, retry tiers)',
    env: (context): Record<string, string> => (context.demo ? { UPLOAD_RETRY_TIERS: '2s,5s' } : {}),
  },
  {
    name: 'payments-ledger',
    entry: 'services/payments-ledger/main.ts',
    defaultPort: 9102,
    role: 'payments → ledger (exactly-once)',
  },
  {
    name: 'login-monitor',
    entry: 'services/login-monitor/main.ts',
    defaultPort: 9103,
    role: 'logins → security-alerts (at-least-once)',
  },
  {
    name: 'sensor-aggregator',
    entry: 'services/sensor-aggregator/main.ts',
    defaultPort: 9104,
    role: 'sensor-readings → sensor-windows (exactly-once)',
    env: (context): Record<string, string> => (context.demo ? { SENSOR_WINDOW: '5s' } : {}),
  },
  {
    name: 'dlq-console',
    entry: 'services/dlq-console/main.ts',
    defaultPort: 8090,
    role: 'dead-letter inspect and replay (HTTP API and web console)',
    env: (context) => ({ DLQ_OPERATORS: `demo:${context.operatorToken}` }),
  },
  {
    name: 'demo-function',
    entry: 'services/demo-function/main.ts',
    defaultPort: 9106,
    role: 'a local function that receives SecurityAlert events from a trigger',
    env: (context) => ({ DEMO_FUNCTION_SECRET: context.functionSecret }),
  },
  {
    name: 'function-trigger',
    entry: 'services/function-trigger/main.ts',
    defaultPort: 9105,
    role: 'security-alerts → demo-function over HTTP (deploy/triggers.yaml)',
    dependsOn: ['demo-function'],
    env: (context) => ({
      TRIGGERS_FILE: 'deploy/triggers.yaml',
      DEMO_FUNCTION_URL: `${context.urls['demo-function']}/`,
      DEMO_FUNCTION_SECRET: context.functionSecret,
    }),
  },
]
