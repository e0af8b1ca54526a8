// The counting part of the triggers bench's hello-world functions (node:http and the Functions
// Framework): how many deliveries arrived, the first and last arrival, and, when a request carries
// `ce-time`, the publish→function latency. Plain JS so the Functions Framework loads it as is.

export function createCounter() {
  let count = 0
  let first = 0
  let last = 0
  let latencies = []
  return {
    /** A delivery arrived (its body already read, as a function runtime would). */
    arrived(headers) {
      const now = Date.now()
      count += 1
      if (first === 0) first = now
      last = now
      const time = headers['ce-time']
      if (typeof time === 'string') latencies.push(now - Date.parse(time))
    },
    /** The bench's control routes, or undefined for a delivery: `GET /stats`, `GET /latencies`, `POST /reset`. */
    control(method, path) {
      if (method === 'GET' && path === '/stats') return JSON.stringify({ count, first, last })
      if (method === 'GET' && path === '/latencies') return JSON.stringify(latencies)
      if (method === 'POST' && path === '/reset') {
        count = 0
        first = 0
        last = 0
        latencies = []
        return '"reset"'
      }
      return undefined
    },
  }
}
