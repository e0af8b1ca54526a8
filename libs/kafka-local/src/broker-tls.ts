import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BrokerStartError } from '@event-backbone/errors'
import { jdkTool } from './java.ts'

const run = promisify(execFile)

/** Where a TLS broker keeps its key and what clients need to trust it. */
export interface BrokerTls {
  /** PKCS12 keystore with the broker's private key and its self-signed certificate. */
  readonly keystoreFile: string
  /** PKCS12 truststore holding that certificate: the broker connects to itself over TLS. */
  readonly truststoreFile: string
  readonly storePassword: string
  /** The certificate in PEM, for clients (`KAFKA_TLS_CA_FILE`). */
  readonly caFile: string
}

/**
 * A self-signed certificate for `host` (plus `localhost`) made with the JDK's keytool, in `dir`. It is
 * reused when `dir` already holds one (a broker restarted on its data), so clients keep trusting it.
 * For a loopback test broker only: real clusters get certificates from their CA.
 */
export async function brokerTls(dir: string, host: string): Promise<BrokerTls> {
  const tls = {
    keystoreFile: join(dir, 'broker.p12'),
    truststoreFile: join(dir, 'trust.p12'),
    caFile: join(dir, 'broker-ca.pem'),
  }
  const passwordFile = join(dir, 'store-password')
  if (existsSync(tls.truststoreFile) && existsSync(passwordFile)) {
    return { ...tls, storePassword: (await readFile(passwordFile, 'utf8')).trim() }
  }
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const storePassword = randomBytes(18).toString('base64url')
  await writeFile(passwordFile, storePassword, { mode: 0o600 })
  const address = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? `ip:${host}` : `dns:${host}`
  const steps = [
    [
      '-genkeypair',
      ...['-alias', 'broker', '-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', '30'],
      ...['-dname', `CN=${host}`, '-ext', `SAN=${address},dns:localhost`],
      ...['-keystore', tls.keystoreFile, '-storetype', 'PKCS12'],
      ...['-storepass', storePassword, '-keypass', storePassword],
    ],
    [
      '-exportcert',
      '-rfc',
      ...['-alias', 'broker', '-keystore', tls.keystoreFile, '-storepass', storePassword],
      ...['-file', tls.caFile],
    ],
    [
      '-importcert',
      '-noprompt',
      ...['-alias', 'broker', '-file', tls.caFile],
      ...['-keystore', tls.truststoreFile, '-storetype', 'PKCS12', '-storepass', storePassword],
    ],
  ]
  for (const args of steps) {
    try {
      await run(jdkTool('keytool'), args, { timeout: 60_000 })
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message
      throw new BrokerStartError(`making the broker's TLS certificate with keytool failed: ${detail}`, {
        cause: error,
      })
    }
  }
  return { ...tls, storePassword }
}
