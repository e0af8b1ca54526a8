/**
 * Keys whose values never reach a log line, at any of the first three levels of a logged object:
 * credentials in request headers (`req.headers.authorization`, `x-api-key`), a Kafka client's
 * SASL and TLS settings (`sasl.password`, `ssl.key`), and the service's own secrets.
 */
const secretKeys = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'api_key',
  'token',
  'accessToken',
  'refreshToken',
  'operatorToken',
  'password',
  'passphrase',
  'secret',
  'clientSecret',
  'privateKey',
] as const

/** The value pino writes instead of a secret. */
export const REDACTED = '[Redacted]'

function accessor(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`
}

/** fast-redact paths: `*` stands for one level, so each key is listed at depth 1, 2 and 3. */
export const redactPaths: readonly string[] = [
  ...secretKeys.flatMap((key) => {
    const path = accessor(key)
    return [path.startsWith('.') ? path.slice(1) : path, `*${path}`, `*.*${path}`]
  }),
  // `key` alone names record keys and API key entries, which logs need; only TLS's is secret.
  'ssl.key',
  '*.ssl.key',
]
