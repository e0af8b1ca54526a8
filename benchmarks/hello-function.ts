/**
 * A hello-world HTTP function for the triggers bench, in its own process: answers every POST with
 * 200 "ok". It records how many deliveries arrived, the first and last arrival, and (when a request
 * carries `ce-time`) the publish→function latency. `GET /stats` reads the counts, `GET /latencies` the latencies, `POST /reset` clears them.
 * Prints its URL as the first stdout line.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCounter } from './functions/counting.js'

const counter = createCounter()

const server = createServer((request, response) => {
  // Polled while deliveries run: small, so the poll does not load the function it measures.
  const control = counter.control(request.method, request.url)
  if (control !== undefined) {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(control)
    return
  }
  // The body is read, as a function runtime would, before it answers.
  request.resume()
  request.on('end', () => {
    counter.arrived(request.headers)
    response.writeHead(200, { 'content-type': 'text/plain' })
    response.end('ok')
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
process.on('disconnect', () => process.exit(0))
