import type { TestContext } from 'node:test'
import type { EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import type { ReplayTopics } from '#libs/dlq'
import { createLogger } from '#libs/observability'
import { type DlqConsole, startDlqConsole } from '../../services/dlq-console/src/app.ts'
import { authFromEnv } from '../../services/dlq-console/src/auth.ts'

export const aliceToken = 'alice-token-0123456789'

/** The console on a free port with operator alice (and reads open), closed when the test ends. */
export async function testConsole(
  t: TestContext,
  kafka: Kafka,
  options: {
    topics?: ReplayTopics
    serde?: EventSerde
    metricsIntervalMs?: number
    replayChunkSize?: number
  } = {},
): Promise<DlqConsole> {
  const console = await startDlqConsole({
    kafka,
    auth: authFromEnv({ DLQ_OPERATORS: `alice:${aliceToken}` }),
    logger: createLogger('dlq-console-test', { LOG_LEVEL: 'silent' }),
    port: 0,
    // Measuring every group and dead-letter topic of the shared test broker is not what these
    // tests are about (test/integration/dlq-console/metrics.test.ts is).
    metricsIntervalMs: 0,
    ...options,
  })
  t.after(() => console.close())
  return console
}

/** One JSON call to the console's HTTP API, with an optional bearer token. */
export async function callConsole(url: string, method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return {
    status: response.status,
    headers: response.headers,
    // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field in the tests
    body: (await response.json().catch(() => undefined)) as any,
  }
}
