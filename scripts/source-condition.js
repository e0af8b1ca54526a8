// The export condition under which this repository's workspace packages resolve to their
// TypeScript sources (no build step for the repository's own development). Plain JS: it runs
// before TypeScript can.
export const SOURCE_CONDITION = 'event-backbone-source'

/** NODE_OPTIONS with `--conditions=event-backbone-source` added once. */
export function withSourceCondition(nodeOptions = '') {
  const flag = `--conditions=${SOURCE_CONDITION}`
  return nodeOptions.includes(flag) ? nodeOptions : `${nodeOptions} ${flag}`.trim()
}
