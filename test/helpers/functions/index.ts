// Real function runtimes for tests: Google's Functions Framework and Cloudflare's workerd, each
// serving the recording test function of test/fixtures/functions. See docs/function-runtimes.md.
import type { TestContext } from 'node:test'
import { type FrameworkTarget, launchFunctionsFramework } from './functions-framework.ts'
import type { FunctionEndpoint, RuntimeName, StartOptions } from './types.ts'
import { launchWorkerd } from './workerd.ts'

export type { FrameworkTarget } from './functions-framework.ts'
export type {
  Behaviour,
  FunctionEndpoint,
  Received,
  RuntimeName,
  StartOptions,
  WaitOptions,
} from './types.ts'
export type { WorkerName } from './workerd.ts'
export { launchFunctionsFramework, launchWorkerd }

/** The recording function under the Functions Framework, stopped when the test ends. */
export async function startFunctionsFramework(
  t: TestContext,
  options: StartOptions = {},
): Promise<FunctionEndpoint> {
  const endpoint = await launchFunctionsFramework(options)
  t.after(() => endpoint.stop())
  return endpoint
}

/** The recording function as a Worker under workerd, stopped when the test ends. */
export async function startWorkerd(t: TestContext, options: StartOptions = {}): Promise<FunctionEndpoint> {
  const endpoint = await launchWorkerd(options)
  t.after(() => endpoint.stop())
  return endpoint
}

/**
 * A no-op hello-world function (204 to any request, any path) for benchmarks, under the Functions
 * Framework (default) or workerd; the caller stops it. Only `url`, `pid`, `logs` and `stop` are
 * meaningful: it has no control routes and records nothing.
 */
export function startHelloFunction(
  options: { runtime?: RuntimeName; startupTimeoutMs?: number } = {},
): Promise<FunctionEndpoint> {
  const startup = options.startupTimeoutMs === undefined ? {} : { startupTimeoutMs: options.startupTimeoutMs }
  if (options.runtime === 'workerd') return launchWorkerd({ ...startup, worker: 'hello' })
  const target: FrameworkTarget = 'hello'
  return launchFunctionsFramework({ ...startup, target })
}
