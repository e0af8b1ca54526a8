import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { JavaNotFoundError, JavaTooOldError } from '@event-backbone/errors'

const run = promisify(execFile)

/** A JDK tool (`java`, `keytool`): `$JAVA_HOME/bin/<name>` when JAVA_HOME is set, else from PATH. */
export function jdkTool(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return env['JAVA_HOME'] ? join(env['JAVA_HOME'], 'bin', name) : name
}

/** The java executable: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH. */
export function javaExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return jdkTool('java', env)
}

/** Parses the major version out of `java -version` output ("17.0.15", "1.8.0_392", "21"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const quoted = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput)
  if (!quoted) return undefined
  const first = Number(quoted[1])
  return first === 1 && quoted[2] !== undefined ? Number(quoted[2]) : first
}

/** Fails with a one-line error when Java is missing or older than 17 (Kafka 4 needs 17). */
export async function checkJava(java = javaExecutable()): Promise<number> {
  let output: string
  try {
    const { stderr, stdout } = await run(java, ['-version'], { timeout: 15_000 })
    output = stderr + stdout
  } catch (error) {
    throw new JavaNotFoundError(undefined, { cause: error, context: { java } })
  }
  const major = parseJavaMajor(output)
  if (major === undefined || major < 17) {
    throw new JavaTooOldError(
      `the local Kafka broker needs Java 17 or newer; ${java} is ${major ?? 'unknown'}`,
    )
  }
  return major
}
