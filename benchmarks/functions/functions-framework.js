// The triggers bench's hello-world function on Google's Functions Framework (a real function
// runtime, as a deployed Cloud Function runs): 200 "ok" to every delivery, counted; the bench's
// control routes answer on the same function (the framework routes every path to it).
import functions from '@google-cloud/functions-framework'
import { createCounter } from './counting.js'

const counter = createCounter()

functions.http('hello', (req, res) => {
  const control = counter.control(req.method, req.path)
  if (control !== undefined) {
    res.status(200).type('application/json').send(control)
    return
  }
  counter.arrived(req.headers)
  res.status(200).type('text/plain').send('ok')
})
