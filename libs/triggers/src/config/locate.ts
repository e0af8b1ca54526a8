import { type Document, isMap, isNode, isPair, isScalar, type LineCounter } from 'yaml'

export type Path = ReadonlyArray<string | number>

/** `triggers[0].retry.attempts`: how a person names a field. */
export function formatPath(path: Path): string {
  let text = ''
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`
  return text === '' ? '(top level)' : text
}

/**
 * The 1-based line of the field at `path`: the value's node, or the nearest parent that exists
 * (a missing field is reported on its trigger's line). `key: true` points at the key itself (an
 * unknown field has no value worth pointing at).
 */
export function lineOf(document: Document, counter: LineCounter, path: Path, key = false): number {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length)
    const node = key && length === path.length ? keyNode(document, prefix) : document.getIn(prefix, true)
    const offset = isNode(node) ? node.range?.[0] : undefined
    if (offset !== undefined) return counter.linePos(offset).line
  }
  return 1
}

function keyNode(document: Document, path: Path): unknown {
  const parent = document.getIn(path.slice(0, -1), true)
  if (!isMap(parent)) return undefined
  const name = path.at(-1)
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === name)
  return pair?.key
}
