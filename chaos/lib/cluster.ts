import { randomBytes } from 'node:crypto'
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventTypes } from '@event-backbone/catalog'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { Kafka, logLevel } from 'kafkajs'
import { catalogTopicSpecs } from '#libs/events'
import { ensureTopics } from '#libs/kafka'
import {
  freePort,
  type LocalCluster,
  type LocalKafka,
  silenceKafkajsTimeoutWarning,
  startLocalCluster,
  startLocalKafka,
} from '#libs/kafka-local'
import { registryService, type ServiceProcess, stackServices, startServiceProcess } from '#libs/stack'

silenceKafkajsTimeoutWarning()
const root = new URL('../../', import.meta.url).pathname

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** `payments-ledger#2`: the second instance of a service (the first is the plain name). */
function serviceOf(instance: string): string {
  return instance.split('#')[0]!
}

/**
 * A small stack the chaos scenarios own end to end: a broker on fixed loopback ports and a data dir
 * kept across restarts (so it can be restarted with its topics and offsets), or a multi-node
 * cluster (`nodes` > 1) whose nodes can be stopped and started one by one; the registry; and the
 * services a scenario names, each a child process that can be SIGKILLed and started again, and
 * further instances of them (`name#2`) in the same consumer groups.
 */
export class ChaosCluster {
  readonly apiKey = `chaos-${randomBytes(12).toString('hex')}`
  readonly operatorToken = `op-${randomBytes(12).toString('hex')}`
  brokers: readonly string[]
  readonly logDir: string
  #kafka: LocalKafka | undefined
  #cluster: LocalCluster | undefined
  readonly #dataDir: string
  readonly #ports: { port: number; controllerPort: number }
  readonly #processes = new Map<string, ServiceProcess>()
  readonly #ports2 = new Map<string, number>()
  readonly #env: Readonly<Record<string, Readonly<Record<string, string>>>>

  private constructor(
    dataDir: string,
    ports: { port: number; controllerPort: number },
    env: Readonly<Record<string, Readonly<Record<string, string>>>>,
  ) {
    this.#env = env
    this.#dataDir = dataDir
    this.#ports = ports
    this.brokers = [`127.0.0.1:${ports.port}`]
    this.logDir = join(dataDir, 'services')
  }

  /** `env` adds variables per service name (a scenario's own limits), over the stack's defaults. */
  static async start(
    services: readonly string[],
    options: { env?: Readonly<Record<string, Readonly<Record<string, string>>>>; nodes?: number } = {},
  ): Promise<ChaosCluster> {
    const dataDir = await mkdtemp(join(tmpdir(), 'backbone-chaos-'))
    const cluster = new ChaosCluster(
      dataDir,
      { port: await freePort(), controllerPort: await freePort() },
      options.env ?? {},
    )
    try {
      await mkdir(cluster.logDir, { recursive: true })
      if ((options.nodes ?? 1) > 1) {
        cluster.#cluster = await startLocalCluster({ nodes: options.nodes ?? 1 })
        cluster.brokers = cluster.#cluster.brokers
      } else {
        await cluster.#startBroker(false)
      }
      await cluster.#startService(registryService.name)
      const admin = cluster.kafka().admin()
      await admin.connect()
      try {
        await ensureTopics(admin, catalogTopicSpecs())
      } finally {
        await admin.disconnect()
      }
      const serde = new EventSerde(new ConfluentRegistryClient(cluster.url(registryService.name)))
      // A few tries: on a shared, loaded machine the registry's first answers can be slow.
      for (const eventType of eventTypes()) {
        for (let attempt = 1; ; attempt++) {
          try {
            await serde.schemaId(eventType)
            break
          } catch (error) {
            if (attempt >= 3) throw error
          }
        }
      }
      for (const name of services) await cluster.#startService(name)
      return cluster
    } catch (error) {
      await cluster.stop()
      throw error
    }
  }

  kafka(): Kafka {
    return new Kafka({ clientId: 'chaos', brokers: [...this.brokers], logLevel: logLevel.NOTHING })
  }

  /** The multi-node cluster (`nodes` > 1). */
  get nodes(): LocalCluster {
    if (!this.#cluster) throw new Error('this chaos stack runs a single broker')
    return this.#cluster
  }

  url(name: string): string {
    const port = this.#ports2.get(name)
    if (port === undefined) throw new Error(`${name} was never started`)
    return `http://127.0.0.1:${port}`
  }

  async #startBroker(reuseData: boolean): Promise<void> {
    this.#kafka = await startLocalKafka({
      ...this.#ports,
      dataDir: join(this.#dataDir, 'kafka'),
      reuseData,
      heapMb: 512,
    })
  }

  /** Clean broker restart (SIGTERM, then the same ports and data dir). Returns the downtime in ms. */
  async restartBroker(): Promise<number> {
    const started = Date.now()
    await this.#kafka?.stop()
    this.#kafka = undefined
    await this.#startBroker(true)
    return Date.now() - started
  }

  async #startService(name: string, readyTimeoutMs?: number): Promise<ServiceProcess> {
    const service = [registryService, ...stackServices].find(
      (candidate) => candidate.name === serviceOf(name),
    )
    if (!service) throw new Error(`no such service ${name}`)
    const port = this.#ports2.get(name) ?? (await freePort())
    this.#ports2.set(name, port)
    const registryUrl = name === registryService.name ? '' : this.url(registryService.name)
    const context = {
      brokers: this.brokers,
      registryUrl,
      demo: false,
      apiKey: this.apiKey,
      operatorToken: this.operatorToken,
      functionSecret: `whsec_${Buffer.alloc(24, 7).toString('base64')}`,
      urls: Object.fromEntries([...this.#processes].map(([running, process]) => [running, process.url])),
    }
    const started = await startServiceProcess({
      name: name.replace('#', '-'),
      entry: service.entry,
      url: `http://127.0.0.1:${port}`,
      cwd: root,
      logDir: this.logDir,
      ...(readyTimeoutMs === undefined ? {} : { readyTimeoutMs }),
      env: {
        ...process.env,
        KAFKA_BROKERS: this.brokers.join(','),
        SERVICE_HOST: '127.0.0.1',
        SERVICE_PORT: String(port),
        REGISTRY_PORT: String(port),
        SCHEMA_REGISTRY_URL: registryUrl,
        LOG_LEVEL: 'warn',
        ...service.env?.(context),
        ...this.#env[serviceOf(name)],
      },
    })
    this.#processes.set(name, started)
    return started
  }

  /** SIGKILL, no grace: the process gets no chance to commit, flush or abort anything. */
  async kill(name: string): Promise<void> {
    const running = this.#processes.get(name)
    if (!running) return
    try {
      process.kill(running.pid, 'SIGKILL')
    } catch {
      // already gone
    }
    await running.stop(1_000)
    this.#processes.delete(name)
  }

  /** Graceful stop (SIGTERM) of one service, kept stopped until `restart`. */
  async stopService(name: string): Promise<void> {
    await this.#processes.get(name)?.stop()
    this.#processes.delete(name)
  }

  /** Starts a service or another instance of one (`name#2`). */
  start(name: string, readyTimeoutMs?: number): Promise<ServiceProcess> {
    return this.#startService(name, readyTimeoutMs)
  }

  restart(name: string, readyTimeoutMs?: number): Promise<ServiceProcess> {
    return this.#startService(name, readyTimeoutMs)
  }

  /** Starts again every service whose process died on its own (a crash is the service's way to recover). */
  async reviveDead(): Promise<string[]> {
    const revived: string[] = []
    for (const [name, running] of [...this.#processes]) {
      if (isAlive(running.pid)) continue
      this.#processes.delete(name)
      await this.#startService(name)
      revived.push(name)
    }
    return revived
  }

  isRunning(name: string): boolean {
    const running = this.#processes.get(name)
    return running !== undefined && isAlive(running.pid)
  }

  async stop(): Promise<void> {
    for (const [, running] of [...this.#processes].reverse()) await running.stop(10_000)
    this.#processes.clear()
    await this.#kafka?.stop()
    await this.#cluster?.stop()
    // CHAOS_KEEP_LOGS=<dir> keeps the services' logs (for explaining a failure) under <dir>.
    const keep = process.env['CHAOS_KEEP_LOGS']
    if (keep) {
      const target = join(keep, `${Date.now()}`)
      await cp(this.logDir, target, { recursive: true }).catch(() => {})
      process.stderr.write(`[chaos] service logs kept in ${target}\n`)
    }
    await rm(this.#dataDir, { recursive: true, force: true })
  }
}
