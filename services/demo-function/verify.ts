import { createHmac, timingSafeEqual } from 'node:crypto'

/** How far a `webhook-timestamp` may be from now (the Standard Webhooks spec's replay window). */
const TOLERANCE_S = 5 * 60

/**
 * Standard Webhooks verification as a function does it: recompute HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}` with each secret this function knows, and accept
 * when any `v1,` signature of the request matches one of them (several secrets while a secret
 * rotates). The tests verify with the `standardwebhooks` library instead; this is the demo's own.
 */
export function verifySignature(
  secrets: readonly Buffer[],
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  const id = headers['webhook-id']
  const timestamp = headers['webhook-timestamp']
  const signature = headers['webhook-signature']
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return false
  if (!/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > TOLERANCE_S) return false
  const offered = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'))
  return secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest()
    return offered.some(
      (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
    )
  })
}

export function secretsFrom(value: string | undefined): Buffer[] {
  return (value ?? '')
    .split(/\s+/)
    .filter((item) => item !== '')
    .map((item) => Buffer.from(item.replace(/^whsec_/, ''), 'base64'))
}
