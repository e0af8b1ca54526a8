import { RegistryUnavailableError } from '@event-backbone/errors'
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import type { SchemaRegistryClient } from './registry-client.ts'
import { toRegistryError } from './registry-error-mapping.ts'

export interface ConfluentRegistryClientOptions {
  /** Basic-auth credentials (Confluent Cloud API key and secret, or a registry user). */
  readonly auth?: { readonly username: string; readonly password: string }
  /** The level `register` expects (and sets on a new subject). Default BACKWARD. */
  readonly compatibility?: keyof typeof COMPATIBILITY
  /** Retries of 5xx answers inside the HTTP client. Default 3. */
  readonly retries?: number
  /** Give up waiting for one call after this long. Default 10 000 ms. */
  readonly timeoutMs?: number
  readonly clientId?: string
}

// The HTTP client's own `Schema.find`: the public `getSchema()` answers with a parsed avsc type
// built without our logical types, and the schema text cannot be recovered from it faithfully.
interface SchemaFindApi {
  readonly api: { readonly Schema: { find(args: { id: number }): Promise<{ data(): { schema: string } }> } }
}

const kRegistry = Symbol('registry')
const kOptions = Symbol('options')
const kUrl = Symbol('url')

/** Credentials never reach error messages or contexts. */
function redact(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  return parsed.toString().replace(/\/$/, '')
}

// The HTTP client has no request timeout: stop waiting rather than hang a consumer forever.
function bounded<T>(call: Promise<T>, timeoutMs: number, context: Record<string, unknown>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    const fail = () => {
      const message = `the schema registry at ${String(context['registryUrl'])} did not answer within ${timeoutMs} ms`
      reject(new RegistryUnavailableError(message, { context: { ...context, timeoutMs } }))
    }
    timer = setTimeout(fail, timeoutMs)
    timer.unref()
  })
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer))
}

function credentialsIn(url: string): { username: string; password: string } | undefined {
  const { username, password } = new URL(url)
  if (username === '') return undefined
  return { username: decodeURIComponent(username), password: decodeURIComponent(password) }
}

/** SchemaRegistryClient over @kafkajs/confluent-schema-registry's HTTP client. */
export class ConfluentRegistryClient implements SchemaRegistryClient {
  readonly [kRegistry]: SchemaRegistry
  readonly [kOptions]: ConfluentRegistryClientOptions
  readonly [kUrl]: string

  constructor(url: string, options: ConfluentRegistryClientOptions = {}) {
    this[kUrl] = redact(url)
    this[kOptions] = options
    // Credentials in the URL become basic auth, so the HTTP client never sees them in its URLs.
    const auth = options.auth ?? credentialsIn(url)
    this[kRegistry] = new SchemaRegistry({
      host: this[kUrl],
      retry: { retries: options.retries ?? 3 },
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
      ...(auth === undefined ? {} : { auth: { username: auth.username, password: auth.password } }),
    })
    const find = (this[kRegistry] as unknown as Partial<SchemaFindApi>).api?.Schema?.find
    if (typeof find !== 'function') {
      throw new TypeError(
        '@kafkajs/confluent-schema-registry no longer exposes api.Schema.find; update the adapter',
      )
    }
  }

  get url(): string {
    return this[kUrl]
  }

  async register(subject: string, schema: string): Promise<number> {
    const compatibility = COMPATIBILITY[this[kOptions].compatibility ?? 'BACKWARD']
    const context = { registryUrl: this[kUrl], subject }
    try {
      const call = this[kRegistry].register({ type: SchemaType.AVRO, schema }, { subject, compatibility })
      return (await bounded(call, this[kOptions].timeoutMs ?? 10_000, context)).id
    } catch (error) {
      throw toRegistryError(error, { operation: 'register', context })
    }
  }

  async getSchemaById(id: number): Promise<string> {
    const context = { registryUrl: this[kUrl], schemaId: id }
    try {
      const call = (this[kRegistry] as unknown as SchemaFindApi).api.Schema.find({ id })
      return (await bounded(call, this[kOptions].timeoutMs ?? 10_000, context)).data().schema
    } catch (error) {
      throw toRegistryError(error, { operation: 'getSchemaById', context })
    }
  }
}
