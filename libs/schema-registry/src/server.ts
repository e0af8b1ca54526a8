import type { FastifyBaseLogger } from 'fastify'
import type { KafkaConfig } from 'kafkajs'
import { fixedTopic } from '#libs/kafka'
import { buildRegistryApp } from './http/app.ts'
import { SchemaStore } from './store.ts'

export interface SchemaRegistryOptions {
  readonly brokers: readonly string[]
  readonly host?: string
  /** 0 picks a free port (tests). */
  readonly port?: number
  /** The compacted storage topic; instances on the same topic share schemas and the single writer. */
  readonly topic?: string
  readonly kafkaConfig?: Partial<KafkaConfig>
  /** Bound on connecting and reading the topic to its end before serving. */
  readonly startTimeoutMs?: number
  /** Bound on a write's catch-up and on waiting for the reader to consume it. */
  readonly writeTimeoutMs?: number
  /** Largest request body; a larger one is answered 413 before it is read or parsed. */
  readonly maxBodyBytes?: number
  /** Largest record the registry appends to its topic; a larger schema is refused with 42209. */
  readonly maxRecordBytes?: number
  /** A pino logger: 5xx answers are logged with their cause. */
  readonly logger?: FastifyBaseLogger
}

export interface SchemaRegistry {
  readonly url: string
  readonly port: number
  readonly topic: string
  close(): Promise<void>
}

/** Opens the store (reads the topic to its end), then listens: the registry never serves stale state. */
export async function startSchemaRegistry(options: SchemaRegistryOptions): Promise<SchemaRegistry> {
  const topic = options.topic ?? fixedTopic.registry
  const host = options.host ?? '127.0.0.1'
  const store = await SchemaStore.open({
    brokers: options.brokers,
    topic,
    ...(options.kafkaConfig ? { kafkaConfig: options.kafkaConfig } : {}),
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
    ...(options.writeTimeoutMs === undefined ? {} : { writeTimeoutMs: options.writeTimeoutMs }),
    ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }),
  })
  const app = buildRegistryApp(store, {
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  })
  try {
    await app.listen({ host, port: options.port ?? 8081 })
  } catch (error) {
    await store.close()
    throw error
  }
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8081)
  let closing: Promise<void> | undefined
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    topic,
    close: () => {
      closing ??= app.close().then(() => store.close())
      return closing
    },
  }
}
