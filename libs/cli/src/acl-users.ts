import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { KafkaEnv } from '../../kafka/index.ts'
import { setScramPassword } from '../../kafka-local/index.ts'
import { resolveBrokers } from './brokers.ts'
import { emit } from './output.ts'

export const aclUsersUsage = `usage: backbone acl users set NAME [--brokers LIST] [--json] < new-password
  Creates the SCRAM-SHA-512 user NAME or gives it the password read from stdin (never from the
  command line), as the admin from KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD. Needs Java and the
  pinned Kafka jars (kafka-configs). docs/security.md has the rotation procedure.`

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

export async function aclUsersCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { brokers: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const [action, name] = positionals
  if (action !== 'set' || !name || positionals.length !== 2) throw new UsageError(aclUsersUsage)
  const adminName = process.env[KafkaEnv.saslUsername]
  const adminPassword = process.env[KafkaEnv.saslPassword]
  if (!adminName || !adminPassword) {
    throw new UsageError(
      `${KafkaEnv.saslUsername} and ${KafkaEnv.saslPassword} must hold the admin credentials`,
    )
  }
  const password = await readStdin()
  const [bootstrap] = await resolveBrokers(values.brokers)
  const tlsOff = ['0', 'false', 'no'].includes(process.env[KafkaEnv.tls]?.trim().toLowerCase() ?? '')
  const caFile = process.env[KafkaEnv.tlsCaFile]?.trim()
  await setScramPassword({
    bootstrap: bootstrap!,
    admin: { name: adminName, password: adminPassword },
    user: { name, password },
    ...(tlsOff ? {} : { tls: caFile ? { caFile } : {} }),
  })
  emit(values.json, { user: name, mechanism: 'SCRAM-SHA-512' }, `SCRAM-SHA-512 credential of ${name} set`)
  return 0
}
