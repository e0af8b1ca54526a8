import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ScramCredentialError } from '@event-backbone/errors'
import { type ScramUser, scramMechanism, scramUsers } from './broker-security.ts'
import { resolveKafkaClasspath } from './classpath.ts'
import { javaExecutable } from './java.ts'

const run = promisify(execFile)

export interface ScramChange {
  /** `host:port` of a broker's SASL listener. */
  readonly bootstrap: string
  /** A principal allowed to alter SCRAM credentials (the super user). */
  readonly admin: ScramUser
  /** The user to create or give a new password. */
  readonly user: ScramUser
  /** The listener speaks TLS (SASL_SSL); `caFile` is the PEM CA of its certificate. */
  readonly tls?: { readonly caFile?: string }
}

function clientProperties(change: ScramChange): string {
  const { admin, tls } = change
  return [
    `security.protocol=${tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`,
    `sasl.mechanism=${scramMechanism}`,
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${admin.name}" password="${admin.password}";`,
    ...(tls?.caFile ? ['ssl.truststore.type=PEM', `ssl.truststore.location=${tls.caFile}`] : []),
    '',
  ].join('\n')
}

/**
 * Creates a SCRAM-SHA-512 user or replaces its password, with Kafka's own `kafka-configs` (kafkajs
 * has no AlterUserScramCredentials). Connections already open stay authenticated until they
 * re-authenticate (`connections.max.reauth.ms`) or reconnect. The passwords go through a private
 * temporary file, never the command line of a process.
 */
export async function setScramPassword(change: ScramChange): Promise<void> {
  scramUsers({ admin: change.admin, users: change.user.name === change.admin.name ? [] : [change.user] })
  const classpath = await resolveKafkaClasspath()
  const dir = await mkdtemp(join(tmpdir(), 'backbone-scram-'))
  try {
    const commandConfig = join(dir, 'admin.properties')
    const addConfig = join(dir, 'add-config.properties')
    await writeFile(commandConfig, clientProperties(change), { mode: 0o600 })
    await writeFile(addConfig, `${scramMechanism}=iterations=8192,password=${change.user.password}\n`, {
      mode: 0o600,
    })
    await run(
      javaExecutable(),
      [
        '-cp',
        classpath,
        'kafka.admin.ConfigCommand',
        '--bootstrap-server',
        change.bootstrap,
        '--command-config',
        commandConfig,
        '--alter',
        '--entity-type',
        'users',
        '--entity-name',
        change.user.name,
        '--add-config-file',
        addConfig,
      ],
      { timeout: 90_000 },
    )
  } catch (error) {
    if (error instanceof ScramCredentialError) throw error
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1)
    throw new ScramCredentialError(
      `could not set the SCRAM credential of ${change.user.name}: ${stderr ?? error}`,
      {
        cause: error,
        context: { user: change.user.name },
      },
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
