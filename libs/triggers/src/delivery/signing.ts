import { createHmac } from 'node:crypto'
import { TriggerConfigError } from '@event-backbone/errors'

const PREFIX = 'whsec_'

/**
 * Standard Webhooks secrets from an environment variable: one or more `whsec_<base64>` separated by
 * spaces. Several secrets are how a secret rotates without downtime: the request carries one `v1`
 * signature per secret, so a function that knows either the old or the new one accepts it.
 */
export function parseSecrets(value: string | undefined, variable: string): Buffer[] {
  const items = (value ?? '').split(/\s+/).filter((item) => item !== '')
  if (items.length === 0)
    throw new TriggerConfigError(
      `${variable} needs to hold one or more whsec_… secrets, separated by spaces`,
      {
        context: { variable },
      },
    )
  return items.map((item) => {
    const text = item.startsWith(PREFIX) ? item.slice(PREFIX.length) : item
    const key = Buffer.from(text, 'base64')
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length < 16 || key.length > 64)
      throw new TriggerConfigError(
        `${variable} holds a secret that is not whsec_ followed by 16 to 64 bytes in base64`,
        { context: { variable } },
      )
    return key
  })
}

/**
 * The Standard Webhooks signature headers: HMAC-SHA256 over `${id}.${timestamp}.${body}` with each
 * secret, `webhook-signature: v1,<base64> v1,<base64>`. `webhook-id` is the CloudEvent id, the same
 * on every retry and replay, so the function can deduplicate on it.
 */
export function signatureHeaders(
  secrets: readonly Buffer[],
  id: string,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(nowSeconds)
  const content = `${id}.${timestamp}.${body}`
  const signatures = secrets.map(
    (secret) => `v1,${createHmac('sha256', secret).update(content).digest('base64')}`,
  )
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') }
}
