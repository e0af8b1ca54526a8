import { createServer } from 'node:net'
import { PortInUseError } from '@event-backbone/errors'

function listenOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : port
      server.close(() => resolve(bound))
    })
  })
}

/** A port the OS reports free on `host` right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return listenOnce(0, host)
}

/** Resolves when `port` can be bound on `host`; rejects with PortInUseError when it cannot. */
export async function assertPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  try {
    await listenOnce(port, host)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${code ?? String(error)})`
    throw new PortInUseError(`port ${port} on ${host} ${reason}`, { cause: error, context: { port, host } })
  }
}
