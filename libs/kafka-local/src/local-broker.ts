import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import { BrokerStartError } from '@event-backbone/errors'
import { log4j2Properties, newClusterId, serverProperties } from './broker-config.ts'
import { addScramArgs, type BrokerSecurity } from './broker-security.ts'
import { brokerTls } from './broker-tls.ts'
import { resolveKafkaClasspath } from './classpath.ts'
import { checkJava, javaExecutable } from './java.ts'
import { jvmArgs, spawnNode } from './node-process.ts'
import { assertPortFree, freePort } from './ports.ts'
import { waitForBroker } from './wait-ready.ts'

const run = promisify(execFile)

export interface LocalKafkaOptions {
  readonly host?: string
  /** Broker port; a free one when not given. A port in use fails with PortInUseError. */
  readonly port?: number
  readonly controllerPort?: number
  /** Data directory; a fresh temporary one when not given (removed on stop). */
  readonly dataDir?: string
  /**
   * Detached brokers outlive the process that started them (`backbone kafka start`); attached ones
   * stop when it exits, even by SIGKILL.
   */
  readonly detached?: boolean
  readonly startTimeoutMs?: number
  readonly heapMb?: number
  /**
   * Start with SASL/SCRAM-SHA-512 and the StandardAuthorizer instead of PLAINTEXT (docs/security.md).
   * Without it the broker is open to anyone on loopback, as before.
   */
  readonly security?: BrokerSecurity
  /**
   * Keep what is in `dataDir` when it was formatted before (`kraft/meta.properties` exists): a
   * restart of the same broker on the same ports with its topics and offsets (the chaos suite).
   */
  readonly reuseData?: boolean
}

export interface LocalKafka {
  readonly bootstrap: string
  readonly brokers: readonly string[]
  /** Process group of the broker (the wrapper's pid). */
  readonly pid: number
  readonly dataDir: string
  readonly logFile: string
  readonly ownsDataDir: boolean
  /** The client settings for the admin (super) user when the broker was started with `security`. */
  readonly adminSasl?: { mechanism: 'scram-sha-512'; username: string; password: string }
  /** The PEM certificate clients trust when the broker was started with `security.tls`. */
  readonly tlsCaFile?: string
  stop(): Promise<void>
}

export function lastErrorLine(logFile: string): string | undefined {
  try {
    const lines = readFileSync(logFile, 'utf8').split('\n')
    const errors = lines.filter((line) => / (ERROR|FATAL) /.test(line) || line.startsWith('Exception'))
    return errors.at(-1)?.trim()
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Stops a broker's process group: SIGTERM (clean shutdown), then SIGKILL after the grace period. */
export async function stopProcessGroup(pid: number, graceMs = 30_000): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal)
    } catch {
      // already gone
    }
  }
  signalGroup('SIGTERM')
  const deadline = Date.now() + graceMs
  while (isAlive(pid) && Date.now() < deadline) await delay(100)
  if (isAlive(pid)) signalGroup('SIGKILL')
  while (isAlive(pid)) await delay(50)
}

export async function formatStorage(
  java: string,
  classpath: string,
  propertiesFile: string,
  logFile: string,
  security: BrokerSecurity | undefined,
  clusterId = newClusterId(),
) {
  try {
    await run(
      java,
      [
        '-cp',
        classpath,
        `-Dlog4j2.configurationFile=${logFile}.log4j2.properties`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        propertiesFile,
        ...(security ? addScramArgs(security) : []),
      ],
      { timeout: 90_000 },
    )
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1) ?? String(error)
    throw new BrokerStartError(`formatting the Kafka storage failed: ${detail}`, { cause: error })
  }
}

/** Starts Apache Kafka (KRaft, broker + controller in one JVM) on loopback and waits until it serves. */
export async function startLocalKafka(options: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const host = options.host ?? '127.0.0.1'
  const java = javaExecutable()
  const [, classpath] = await Promise.all([checkJava(java), resolveKafkaClasspath()])

  if (options.port !== undefined) await assertPortFree(options.port, host)
  if (options.controllerPort !== undefined) await assertPortFree(options.controllerPort, host)
  const ports = {
    broker: options.port ?? (await freePort(host)),
    controller: options.controllerPort ?? (await freePort(host)),
  }

  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'event-backbone-kafka-')))
  const logDir = join(dataDir, 'logs')
  const storageDir = join(dataDir, 'kraft')
  await mkdir(logDir, { recursive: true })
  const logFile = join(logDir, 'server.log')
  const propertiesFile = join(dataDir, 'server.properties')
  const log4jFile = join(dataDir, 'log4j2.properties')
  const security = options.security
  const tls = security?.tls ? await brokerTls(join(dataDir, 'tls'), host) : undefined
  await writeFile(propertiesFile, serverProperties({ host, ports, dataDir: storageDir, security, tls }))
  await writeFile(log4jFile, log4j2Properties(logFile))
  await writeFile(`${logFile}.log4j2.properties`, log4j2Properties(join(logDir, 'storage-tool.log')))

  const formatted = existsSync(join(storageDir, 'meta.properties'))
  if (!(options.reuseData && formatted)) {
    await formatStorage(java, classpath, propertiesFile, logFile, security)
  }

  const detached = options.detached ?? false
  const node = spawnNode({
    java,
    args: jvmArgs({
      heapMb: options.heapMb ?? 1024,
      initialHeapMb: 256,
      log4jFile,
      logDir,
      classpath,
      propertiesFile,
    }),
    logDir,
    detached,
    ...(ownsDataDir && !detached ? { orphanDir: dataDir } : {}),
  })
  const pid = node.pid

  const bootstrap = `${host}:${ports.broker}`
  const stop = async () => {
    await stopProcessGroup(pid)
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
  }
  const adminSasl = security
    ? {
        mechanism: 'scram-sha-512' as const,
        username: security.admin.name,
        password: security.admin.password,
      }
    : undefined
  try {
    await waitForBroker([bootstrap], {
      ...(adminSasl ? { sasl: adminSasl } : {}),
      ...(tls ? { ssl: { ca: await readFile(tls.caFile, 'utf8') } } : {}),
      timeoutMs: options.startTimeoutMs ?? 120_000,
      abortIf: () =>
        node.exited() === undefined
          ? undefined
          : new BrokerStartError(
              `the Kafka broker exited (${node.exited()}) while starting: ${lastErrorLine(logFile) ?? `see ${logFile}`}`,
            ),
    })
  } catch (error) {
    await stopProcessGroup(pid, 5_000)
    throw error instanceof BrokerStartError
      ? error
      : new BrokerStartError(`${(error as Error).message}; broker log: ${logFile}`, { cause: error })
  }
  return {
    bootstrap,
    brokers: [bootstrap],
    pid,
    dataDir,
    logFile,
    ownsDataDir,
    ...(adminSasl ? { adminSasl } : {}),
    ...(tls ? { tlsCaFile: tls.caFile } : {}),
    stop,
  }
}
