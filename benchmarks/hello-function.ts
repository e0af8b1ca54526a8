/**
 * A hello-world HTTP function for the triggers bench, in its own process: answers every POST with
 * 200 "ok". It records how many deliveries arrived, the first and last arrival, and (when a request
 * carries `ce-time`) the publish→function latency. `GET /stats` reads the counts, `GET /latencies` the latencies, `POST /reset` clears them.
 * Prints its URL as the first stdout line.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

let count = 0
let first = 0
let last = 0
let latencies: number[] = []

const server = createServer((request, response) => {
  // Polled while deliveries run: small, so the poll does not load the function it measures.
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ count, first, last }))
    return
  }
  if (request.method === 'GET' && request.url === '/latencies') {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify(latencies))
    return
  }
  if (request.method === 'POST' && request.url === '/reset') {
    count = 0
    first = 0
    last = 0
    latencies = []
    response.end('reset')
    return
  }
  // The body is read, as a function runtime would, before it answers.
  request.resume()
  request.on('end', () => {
    const now = Date.now()
    count += 1
    if (first === 0) first = now
    last = now
    const time = request.headers['ce-time']
    if (typeof time === 'string') latencies.push(now - Date.parse(time))
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
