import { readFileSync } from 'node:fs'
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = p.timeDeltas
const counts = new Map()
for (let i = 0; i < p.samples.length; i++) counts.set(p.samples[i], (counts.get(p.samples[i]) ?? 0) + (dt[i] ?? 0))
const parent = new Map()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const total = [...counts.values()].reduce((a, b) => a + b, 0)
const incl = new Map()
for (const [id, us] of counts) {
  const n = byId.get(id)
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`
  self.set(key, (self.get(key) ?? 0) + us)
  const seen = new Set()
  let cur = id
  while (cur !== undefined) {
    const m = byId.get(cur)
    const k = `${m.callFrame.functionName || '(anon)'} ${m.callFrame.url.split('/').slice(-2).join('/')}:${m.callFrame.lineNumber}`
    if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + us); seen.add(k) }
    cur = parent.get(cur)
  }
}
console.log('total ms', Math.round(total / 1000))
console.log('--- self')
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 35)) console.log(Math.round(v / 1000), k)
console.log('--- inclusive')
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(Math.round(v / 1000), k)
if (process.argv[3]) {
  const want = process.argv[3]
  const callers = new Map()
  for (const [id, us] of counts) {
    let cur = id
    const chain = []
    while (cur !== undefined) { const m = byId.get(cur); chain.push(`${m.callFrame.functionName || '(anon)'} ${m.callFrame.url.split('/').slice(-2).join('/')}:${m.callFrame.lineNumber}`); cur = parent.get(cur) }
    const i = chain.findIndex((c) => c.startsWith(want))
    if (i < 0) continue
    const key = chain.slice(i, i + 6).join(' <- ')
    callers.set(key, (callers.get(key) ?? 0) + us)
  }
  console.log('--- callers of', want)
  for (const [k, v] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(Math.round(v / 1000), k)
}
