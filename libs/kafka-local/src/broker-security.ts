import { ScramUserError } from '@event-backbone/errors'
import type { BrokerTls } from './broker-tls.ts'

export interface ScramUser {
  readonly name: string
  readonly password: string
}

/**
 * A broker that authenticates every client with SASL/SCRAM-SHA-512 and authorizes with Kafka's
 * StandardAuthorizer (deny unless an ACL allows). `admin` is the broker's own identity and the only
 * super user; `users` are created with it when the storage is formatted.
 */
export interface BrokerSecurity {
  readonly admin: ScramUser
  readonly users?: readonly ScramUser[]
  /**
   * SASL_SSL instead of SASL_PLAINTEXT on the client listener, with a self-signed certificate made
   * when the broker starts (`LocalKafka.tlsCaFile` is the PEM clients trust).
   */
  readonly tls?: boolean
}

export const scramMechanism = 'SCRAM-SHA-512'

// `kafka-storage format --add-scram` splits on "," "=" "[" "]", and the JAAS line quotes with '"'.
const unsafe = /[\s"\\,=[\]]/

function checkUser(user: ScramUser): void {
  if (!user.name || unsafe.test(user.name)) {
    throw new ScramUserError(`SCRAM user name ${JSON.stringify(user.name)} is empty or has unsafe characters`)
  }
  if (!user.password || unsafe.test(user.password)) {
    throw new ScramUserError(`the password of SCRAM user ${user.name} is empty or has unsafe characters`)
  }
}

/** Every SCRAM user of the broker, admin first, checked and without duplicates. */
export function scramUsers(security: BrokerSecurity): ScramUser[] {
  const users = [security.admin, ...(security.users ?? [])]
  const seen = new Set<string>()
  for (const user of users) {
    checkUser(user)
    if (seen.has(user.name)) throw new ScramUserError(`SCRAM user ${user.name} is given twice`)
    seen.add(user.name)
  }
  return users
}

/** `--add-scram` arguments for `kafka-storage format`: the users exist before the broker first starts. */
export function addScramArgs(security: BrokerSecurity): string[] {
  return scramUsers(security).flatMap((user) => [
    '--add-scram',
    `${scramMechanism}=[name=${user.name},password=${user.password}]`,
  ])
}

function jaas(module: string, user: ScramUser, extra = ''): string {
  return `${module} required username="${user.name}" password="${user.password}"${extra};`
}

/**
 * Listener settings for KRaft combined mode. Clients and the broker itself use one SASL listener with
 * SCRAM-SHA-512: SASL_SSL when `tls` material is given, SASL_PLAINTEXT otherwise. The controller
 * listener cannot use SCRAM (the controller would need the credentials from the metadata log before
 * it has read the log, KIP-900), so it uses SASL/PLAIN with the admin as its only static user: no
 * unauthenticated ANONYMOUS super user on any port.
 */
export function securitySettings(
  security: BrokerSecurity,
  listeners: { host: string; broker: number; controller: number },
  tls?: BrokerTls,
): Record<string, string | boolean> {
  const { admin } = security
  scramUsers(security)
  const { host, broker, controller } = listeners
  const protocol = tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'
  const prefix = `listener.name.${protocol.toLowerCase()}`
  return {
    listeners: `${protocol}://${host}:${broker},CONTROLLER://${host}:${controller}`,
    'advertised.listeners': `${protocol}://${host}:${broker}`,
    'listener.security.protocol.map': `CONTROLLER:SASL_PLAINTEXT,${protocol}:${protocol}`,
    'inter.broker.listener.name': protocol,
    'sasl.enabled.mechanisms': scramMechanism,
    'sasl.mechanism.inter.broker.protocol': scramMechanism,
    [`${prefix}.sasl.enabled.mechanisms`]: scramMechanism,
    [`${prefix}.scram-sha-512.sasl.jaas.config`]: jaas(
      'org.apache.kafka.common.security.scram.ScramLoginModule',
      admin,
    ),
    ...(tls
      ? {
          'ssl.keystore.type': 'PKCS12',
          'ssl.keystore.location': tls.keystoreFile,
          'ssl.keystore.password': tls.storePassword,
          'ssl.key.password': tls.storePassword,
          'ssl.truststore.type': 'PKCS12',
          'ssl.truststore.location': tls.truststoreFile,
          'ssl.truststore.password': tls.storePassword,
          'ssl.endpoint.identification.algorithm': 'https',
        }
      : {}),
    'sasl.mechanism.controller.protocol': 'PLAIN',
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': jaas(
      'org.apache.kafka.common.security.plain.PlainLoginModule',
      admin,
      ` user_${admin.name}="${admin.password}"`,
    ),
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${admin.name}`,
    'allow.everyone.if.no.acl.found': false,
  }
}
