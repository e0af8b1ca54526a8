import { type ChildProcess, spawn } from 'node:child_process'
import { openSync } from 'node:fs'
import { join } from 'node:path'
import { BrokerStartError } from '@event-backbone/errors'
import { brokerWrapperScript } from './lifeline.ts'

/** A Kafka JVM under the lifeline wrapper (lifeline.ts): its process group and how it exited. */
export interface NodeProcess {
  /** The wrapper's pid, which is also the process group of the JVM. */
  readonly pid: number
  /** The exit code or signal once the wrapper exited, else undefined. */
  exited(): string | undefined
}

/** The JVM flags of a node: a bounded heap and G1 with short pauses. */
export function jvmArgs(options: {
  heapMb: number
  initialHeapMb: number
  log4jFile: string
  logDir: string
  classpath: string
  propertiesFile: string
}): string[] {
  return [
    `-Xms${options.initialHeapMb}m`,
    `-Xmx${options.heapMb}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${options.log4jFile}`,
    `-Dkafka.logs.dir=${options.logDir}`,
    '-cp',
    options.classpath,
    'kafka.Kafka',
    options.propertiesFile,
  ]
}

/**
 * Spawns `java …` under the wrapper in its own process group. Detached nodes outlive this process;
 * attached ones stop when it exits, even by SIGKILL (the wrapper's stdin pipe closes). `orphanDir`
 * is removed by the wrapper when this process is gone.
 */
export function spawnNode(options: {
  java: string
  args: readonly string[]
  logDir: string
  detached: boolean
  orphanDir?: string
}): NodeProcess {
  const consoleOut = openSync(join(options.logDir, 'console.log'), 'a')
  const child: ChildProcess = spawn(
    'bash',
    [
      '-c',
      brokerWrapperScript,
      'backbone-kafka',
      options.detached ? 'detached' : 'lifeline',
      options.orphanDir ?? '',
      options.java,
      ...options.args,
    ],
    { detached: true, stdio: [options.detached ? 'ignore' : 'pipe', consoleOut, consoleOut] },
  )
  const pid = child.pid
  if (pid === undefined) throw new BrokerStartError('could not spawn bash to run the Kafka broker')
  let exited: string | undefined
  child.once('exit', (code, signal) => {
    exited = signal ?? String(code)
  })
  if (options.detached)
    child.unref()
    // The lifeline pipe must not keep this process alive on its own.
  ;(child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.()
  return { pid, exited: () => exited }
}
