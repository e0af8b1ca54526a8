import { UsageError } from '@event-backbone/errors'
import { parsePredicate, type Selection, validateSelection } from '../../../dlq/index.ts'

/** parseArgs options shared by `dlq show` and `dlq replay`. */
export const selectionOptions = {
  partition: { type: 'string', multiple: true },
  offsets: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  'error-class': { type: 'string', multiple: true },
  message: { type: 'string' },
  key: { type: 'string' },
  header: { type: 'string', multiple: true },
  where: { type: 'string', multiple: true },
} as const

export const selectionUsage = `selection (every given condition must hold):
  --partition N            only this partition (repeatable)
  --offsets P:FROM-TO      offsets FROM..TO of partition P, inclusive; FROM- or -TO open (repeatable)
  --since T --until T      dead-letter time: ISO date, epoch ms, or an age like 30m, 2h, 7d
  --error-class NAME       eb.error.class is NAME (repeatable: any of them)
  --message TEXT           eb.error.message contains TEXT (case-insensitive)
  --key TEXT               the key is TEXT
  --header NAME=VALUE      the header NAME is VALUE (repeatable)
  --where EXPR             on the decoded value: amount>100, payer.country==DE, note~late, couponCode?
                           (needs the schema registry: --registry or SCHEMA_REGISTRY_URL)`

function time(flag: string, text: string, now: number): number {
  const age = /^(\d+)(s|m|h|d)$/.exec(text)
  if (age) return now - Number(age[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 's']
  if (/^\d{10,16}$/.test(text)) return Number(text)
  const parsed = Date.parse(text)
  if (Number.isNaN(parsed))
    throw new UsageError(`--${flag} needs an ISO date, epoch ms or an age like 2h, not '${text}'`)
  return parsed
}

export function selectionFromFlags(values: Record<string, unknown>, now = Date.now()): Selection {
  const s: Record<string, unknown> = {}
  const list = (name: string) => (values[name] as string[] | undefined) ?? []
  if (list('partition').length > 0) {
    s['partitions'] = list('partition').map((p) => {
      if (!/^\d+$/.test(p)) throw new UsageError(`--partition needs a partition number, not '${p}'`)
      return Number(p)
    })
  }
  if (list('offsets').length > 0) {
    s['offsets'] = list('offsets').map((text) => {
      const match = /^(\d+):(\d*)-(\d*)$/.exec(text)
      if (!match) throw new UsageError(`--offsets needs P:FROM-TO (e.g. 0:100-200), not '${text}'`)
      return {
        partition: Number(match[1]),
        ...(match[2] ? { from: match[2] } : {}),
        ...(match[3] ? { to: match[3] } : {}),
      }
    })
  }
  if (typeof values['since'] === 'string') s['since'] = time('since', values['since'], now)
  if (typeof values['until'] === 'string') s['until'] = time('until', values['until'], now)
  if (list('error-class').length > 0) s['errorClass'] = list('error-class')
  if (typeof values['message'] === 'string') s['errorMessage'] = values['message']
  if (typeof values['key'] === 'string') s['key'] = values['key']
  if (list('header').length > 0) {
    const headers: Record<string, string> = {}
    for (const text of list('header')) {
      const at = text.indexOf('=')
      if (at < 1) throw new UsageError(`--header needs NAME=VALUE, not '${text}'`)
      headers[text.slice(0, at)] = text.slice(at + 1)
    }
    s['headers'] = headers
  }
  if (list('where').length > 0) s['where'] = list('where').map(parsePredicate)
  return validateSelection(s)
}
