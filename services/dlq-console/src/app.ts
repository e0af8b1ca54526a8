import { readFile } from 'node:fs/promises'
import type { EventSerde } from '@event-backbone/serde'
import type { Kafka } from 'kafkajs'
import type { ReplayTopics } from '#libs/dlq'
import { JobManager } from '#libs/dlq'
import type { Logger } from '#libs/observability'
import { type ServiceHttp, startServiceHttp } from '#libs/service'
import type { Auth } from './auth.ts'
import { registerBrowseRoutes } from './browse/browse-routes.ts'
import { registerGroupRoutes } from './group-routes.ts'
import { registerHistoryRoutes } from './history-routes.ts'
import { startConsoleMetrics } from './metrics.ts'
import { openApi } from './openapi.ts'
import { registerDlqRoutes } from './routes.ts'

const publicDir = new URL('../public/', import.meta.url)
const assets: Record<string, string> = {
  '/': 'index.html',
  '/console.js': 'console.js',
  '/common.js': 'common.js',
  '/chart.js': 'chart.js',
  '/groups.js': 'groups.js',
  '/browser.js': 'browser.js',
  '/jobs.js': 'jobs.js',
  '/console.css': 'console.css',
}
const types: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
}

/** No inline script or style anywhere on the page, so the policy can forbid both. */
const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
}

export interface DlqConsole {
  readonly http: ServiceHttp
  readonly jobs: JobManager
  close(): Promise<void>
}

export async function startDlqConsole(options: {
  readonly kafka: Kafka
  readonly serde?: EventSerde | undefined
  readonly auth: Auth
  readonly logger: Logger
  readonly host?: string
  readonly port?: number
  readonly topics?: ReplayTopics
  /** How often group lag and dead-letter topics are measured for /metrics; 0: never. Default 15 s. */
  readonly metricsIntervalMs?: number
  /** Dead-letter records per replay transaction (default: the replayer's); tests pause between chunks. */
  readonly replayChunkSize?: number
  /** How far back the lag and dead-letter charts reach. Default one hour. */
  readonly historyWindowMs?: number
}): Promise<DlqConsole> {
  const jobs = new JobManager({
    kafka: options.kafka,
    serde: options.serde,
    topics: options.topics,
    logger: options.logger,
    chunkSize: options.replayChunkSize,
  })
  const admin = options.kafka.admin()
  await admin.connect()
  const metrics = startConsoleMetrics({
    kafka: options.kafka,
    admin,
    intervalMs: options.metricsIntervalMs ?? 15_000,
    logger: options.logger,
    replays: () => jobs.samples(),
    ...(options.historyWindowMs === undefined ? {} : { historyWindowMs: options.historyWindowMs }),
  })
  const http = await startServiceHttp({
    service: 'dlq-console',
    logger: options.logger,
    metrics: metrics.registry,
    readiness: [
      {
        name: 'kafka',
        check: async () => {
          await admin.listTopics()
          return true
        },
      },
    ],
    ...(options.host ? { host: options.host } : {}),
    ...(options.port === undefined ? {} : { port: options.port }),
    setup: (app) => {
      app.addHook('onSend', async (_request, reply) => {
        for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value)
      })
      for (const [path, file] of Object.entries(assets)) {
        app.get(path, async (_request, reply) => {
          const body = await readFile(new URL(file, publicDir), 'utf8')
          return reply.type(types[file.split('.').pop() ?? 'html'] ?? 'text/plain').send(body)
        })
      }
      app.get('/openapi.json', async () => openApi)
      app.get('/favicon.ico', async (_request, reply) => reply.code(204).send())
      registerDlqRoutes(app, {
        kafka: options.kafka,
        serde: options.serde,
        auth: options.auth,
        jobs,
        topics: options.topics,
      })
      registerGroupRoutes(app, { admin, auth: options.auth, logger: options.logger })
      registerHistoryRoutes(app, { history: metrics.history, auth: options.auth })
      registerBrowseRoutes(app, { kafka: options.kafka, admin, serde: options.serde, auth: options.auth })
    },
  })
  return {
    http,
    jobs,
    close: async () => {
      await http.close()
      await jobs.stop()
      await metrics.stop()
      await admin.disconnect()
    },
  }
}
