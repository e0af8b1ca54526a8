import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { eventTypes } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { Kafka, logLevel } from 'kafkajs'
import { catalogTopicSpecs } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import { assertPortFree, freePort, type ProvidedKafka, provideKafka } from '#libs/kafka-local'
import { startServiceProcess } from './service-process.ts'
import { registryService, type StackContext, type StackService, stackServices } from './services.ts'
import { type RestartPolicy, type SupervisedService, type SupervisorEvent, supervise } from './supervisor.ts'

export interface StackOptions {
  /** Where the repository is (service entries are relative to it). */
  readonly root: string
  readonly logDir: string
  /** Use each service's default port when free (else a free one); `free` always picks free ports. */
  readonly ports?: 'default' | 'free'
  readonly demo?: boolean
  readonly env?: NodeJS.ProcessEnv
  /** Progress lines for the person watching. */
  readonly say?: (line: string) => void
  /** How services that exit unexpectedly are restarted; `{ enabled: false }` keeps them down. */
  readonly restart?: Partial<RestartPolicy>
  /** A service exited, was restarted or stays down. */
  readonly onServiceEvent?: (event: SupervisorEvent) => void
}

export interface RunningStack {
  readonly kafka: ProvidedKafka
  readonly context: StackContext
  readonly registry: SupervisedService
  readonly services: readonly SupervisedService[]
  readonly logDir: string
  service(name: string): SupervisedService
  stop(): Promise<void>
}

async function portFor(service: StackService, mode: 'default' | 'free'): Promise<number> {
  if (mode === 'default') {
    try {
      await assertPortFree(service.defaultPort)
      return service.defaultPort
    } catch {
      // taken: fall through to a free one
    }
  }
  return freePort()
}

/**
 * Boots the local stack: Kafka, the schema registry, the catalog's topics and schemas, then every
 * service as its own process, each waited for until its /readyz answers. Services whose entry does
 * not exist yet are skipped with a note (the stack grows as they are built).
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const say = options.say ?? (() => {})
  const baseEnv = options.env ?? process.env
  await mkdir(options.logDir, { recursive: true })
  const started: SupervisedService[] = []
  // Each service is started again, after an unexpected exit, exactly as it was started the first time.
  const launch = async (spec: Parameters<typeof startServiceProcess>[0]) =>
    supervise(await startServiceProcess(spec), () => startServiceProcess(spec), {
      ...(options.restart ? { policy: options.restart } : {}),
      ...(options.onServiceEvent ? { onEvent: options.onServiceEvent } : {}),
    })
  let kafka: ProvidedKafka | undefined
  const stop = async () => {
    for (const service of [...started].reverse()) await service.stop()
    await kafka?.stop()
  }
  try {
    kafka = await provideKafka(baseEnv)
    say(`Kafka (${kafka.source}) at ${kafka.brokers.join(',')}`)
    const mode = options.ports ?? 'default'
    const shared = {
      ...baseEnv,
      KAFKA_BROKERS: kafka.brokers.join(','),
      SERVICE_HOST: '127.0.0.1',
      LOG_LEVEL: baseEnv['LOG_LEVEL'] ?? 'info',
    }
    const registryPort = await portFor(registryService, mode)
    const registry = await launch({
      name: registryService.name,
      entry: registryService.entry,
      url: `http://127.0.0.1:${registryPort}`,
      cwd: options.root,
      logDir: options.logDir,
      env: { ...shared, REGISTRY_PORT: String(registryPort), SERVICE_PORT: String(registryPort) },
    })
    started.push(registry)
    say(`schema registry at ${registry.url}`)

    const urls: Record<string, string> = {}
    const context: StackContext = {
      urls,
      functionSecret:
        baseEnv['BACKBONE_DEMO_FUNCTION_SECRET'] ?? `whsec_${randomBytes(24).toString('base64')}`,
      brokers: kafka.brokers,
      registryUrl: registry.url,
      demo: options.demo ?? false,
      apiKey: baseEnv['BACKBONE_DEMO_API_KEY'] ?? `demo-${randomBytes(12).toString('hex')}`,
      operatorToken: baseEnv['BACKBONE_DEMO_OPERATOR_TOKEN'] ?? `op-${randomBytes(12).toString('hex')}`,
    }
    const admin = new Kafka({
      clientId: 'backbone-up',
      brokers: [...kafka.brokers],
      logLevel: logLevel.NOTHING,
    }).admin()
    await admin.connect()
    try {
      const report = await ensureTopics(admin, catalogTopicSpecs())
      say(`topics: ${report.created.length} created, ${report.existing.length} already there`)
    } finally {
      await admin.disconnect()
    }
    const serde = new EventSerde(new ConfluentRegistryClient(registry.url))
    for (const eventType of eventTypes()) await serde.schemaId(eventType)
    say(`schemas: ${eventTypes().length} registered`)

    const present = stackServices.filter((service) => existsSync(join(options.root, service.entry)))
    for (const missing of stackServices.filter((service) => !present.includes(service))) {
      say(`(${missing.name} is not built yet: skipped)`)
    }
    const launchOne = async (service: StackService) => {
      const port = await portFor(service, mode)
      const process = await launch({
        name: service.name,
        entry: service.entry,
        url: `http://127.0.0.1:${port}`,
        cwd: options.root,
        logDir: options.logDir,
        env: {
          ...shared,
          SCHEMA_REGISTRY_URL: registry.url,
          SERVICE_PORT: String(port),
          ...service.env?.(context),
        },
      })
      started.push(process)
      urls[service.name] = process.url
      say(`${service.name} ready at ${process.url}`)
      return process
    }
    // In waves: a service starts once what it depends on is ready (its URL is then known).
    let waiting = present
    while (waiting.length > 0) {
      const names = new Set(waiting.map((service) => service.name))
      const wave = waiting.filter((service) => !(service.dependsOn ?? []).some((name) => names.has(name)))
      if (wave.length === 0) throw new Error(`services depend on each other: ${[...names].join(', ')}`)
      const launched = await Promise.allSettled(wave.map(launchOne))
      const failure = launched.find((result) => result.status === 'rejected')
      if (failure) throw failure.reason
      waiting = waiting.filter((service) => !wave.includes(service))
    }
    const services = started.filter((service) => service !== registry)
    return {
      kafka,
      context,
      registry,
      services,
      logDir: options.logDir,
      service: (name) => {
        const found = started.find((service) => service.name === name)
        if (!found) throw new Error(`the stack has no running service ${name}`)
        return found
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
