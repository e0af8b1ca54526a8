import type { IncomingHttpHeaders } from 'node:http'

export interface Counter {
  arrived(headers: IncomingHttpHeaders): void
  control(method: string | undefined, path: string | undefined): string | undefined
}
export function createCounter(): Counter
