import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { javaExecutable, resolveKafkaClasspath } from '#libs/kafka-local'

const run = promisify(execFile)

/**
 * Runs one of Kafka's own tools (org.apache.kafka.tools.*, from the pinned kafka-tools jar that
 * the local broker also uses) and returns its stdout.
 */
export async function kafkaTool(
  tool: string,
  args: readonly string[],
  timeoutMs = 5 * 60_000,
): Promise<string> {
  const classpath = await resolveKafkaClasspath()
  const { stdout } = await run(
    javaExecutable(),
    ['-cp', classpath, `org.apache.kafka.tools.${tool}`, ...args],
    {
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    },
  )
  return stdout
}
