import { readFileSync } from 'node:fs'
import { TriggerConfigError } from '@event-backbone/errors'
import { LineCounter, parseDocument } from 'yaml'
import { formatPath, lineOf } from './locate.ts'
import type { TriggersFile } from './types.ts'
import { validateTriggers } from './validate.ts'

/**
 * Parses a triggers file (YAML; JSON is YAML too) and validates it. Every problem is reported at
 * once, each as `file:line: field: what is wrong`, in a `TriggerConfigError`.
 */
export function parseTriggers(
  text: string,
  path = 'triggers.yaml',
  env: NodeJS.ProcessEnv = process.env,
): TriggersFile {
  const counter = new LineCounter()
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
  const syntax = [...document.errors, ...document.warnings]
  if (syntax.length > 0) {
    const lines = syntax.map(
      (error) => `${path}:${counter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`,
    )
    throw new TriggerConfigError(`invalid triggers file\n${lines.join('\n')}`, { context: { path } })
  }
  const { triggers, problems } = validateTriggers(document.toJS(), env)
  if (problems.length > 0) {
    const lines = problems
      .map((problem) => ({ line: lineOf(document, counter, problem.path, problem.atKey), problem }))
      .sort((a, b) => a.line - b.line)
      .map(({ line, problem }) => `${path}:${line}: ${formatPath(problem.path)} ${problem.message}`)
    throw new TriggerConfigError(`invalid triggers file\n${lines.join('\n')}`, {
      context: { path, problems: problems.length },
    })
  }
  return { path, triggers }
}

export function loadTriggers(path: string, env: NodeJS.ProcessEnv = process.env): TriggersFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new TriggerConfigError(`cannot read the triggers file ${path}: ${(error as Error).message}`, {
      cause: error,
      context: { path },
    })
  }
  return parseTriggers(text, path, env)
}
