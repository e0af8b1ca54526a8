// A line chart as inline SVG, drawn here rather than by a charting library: a few polylines and
// labels are all the console needs, and the page's policy allows no inline script or style.

const svgNs = 'http://www.w3.org/2000/svg'
const colours = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7c86', '#57606a']
const width = 600
const height = 180
const pad = { left: 44, right: 8, top: 10, bottom: 22 }

function node(name, attributes, text) {
  const element = document.createElementNS(svgNs, name)
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value))
  if (text !== undefined) element.textContent = text
  return element
}

function clock(at) {
  return new Date(at).toISOString().slice(11, 19)
}

/**
 * Draws `series` ([{ name, points: [[epochMs, value]] }]) into `container`, replacing what was there.
 * The SVG scales to the container's width (viewBox), so it never widens a narrow page.
 */
export function lineChart(container, series, options = {}) {
  container.replaceChildren()
  const points = series.flatMap((s) => s.points)
  if (points.length === 0) {
    const empty = document.createElement('p')
    empty.className = 'muted'
    empty.textContent = options.empty || 'No measurements yet.'
    container.appendChild(empty)
    return
  }
  const times = points.map((p) => p[0])
  const t0 = Math.min(...times)
  const t1 = Math.max(...times, t0 + 1)
  const top = Math.max(1, ...points.map((p) => p[1]))
  const x = (t) => pad.left + ((t - t0) / (t1 - t0)) * (width - pad.left - pad.right)
  const y = (v) => height - pad.bottom - (v / top) * (height - pad.top - pad.bottom)
  const svg = node('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': options.label || 'chart',
    class: 'line-chart',
  })
  svg.appendChild(node('title', {}, options.label || 'chart'))
  svg.appendChild(node('line', { x1: pad.left, y1: y(0), x2: width - pad.right, y2: y(0), stroke: '#999' }))
  svg.appendChild(node('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: y(0), stroke: '#999' }))
  svg.appendChild(
    node('text', { x: pad.left - 4, y: pad.top + 8, 'text-anchor': 'end', 'font-size': 11 }, String(top)),
  )
  svg.appendChild(node('text', { x: pad.left - 4, y: y(0), 'text-anchor': 'end', 'font-size': 11 }, '0'))
  svg.appendChild(node('text', { x: pad.left, y: height - 4, 'font-size': 11 }, clock(t0)))
  svg.appendChild(
    node('text', { x: width - pad.right, y: height - 4, 'text-anchor': 'end', 'font-size': 11 }, clock(t1)),
  )
  const legend = document.createElement('ul')
  legend.className = 'legend'
  series.forEach((s, i) => {
    const colour = colours[i % colours.length]
    const line = node('polyline', {
      points: s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' '),
      fill: 'none',
      stroke: colour,
      'stroke-width': 2,
      'data-series': s.name,
      'data-last': s.points.at(-1)?.[1] ?? '',
    })
    line.appendChild(node('title', {}, `${s.name}: ${s.points.at(-1)?.[1] ?? '-'}`))
    svg.appendChild(line)
    const item = document.createElement('li')
    const swatch = document.createElement('span')
    swatch.className = `swatch swatch-${i % colours.length}`
    item.append(swatch, `${s.name}: ${s.points.at(-1)?.[1] ?? '-'}`)
    legend.appendChild(item)
  })
  container.append(svg, legend)
}

/** A tiny trend line for a table cell: no axes, last value in its title. */
export function sparkline(values) {
  const w = 80
  const h = 20
  const top = Math.max(1, ...values)
  const svg = node('svg', {
    viewBox: `0 0 ${w} ${h}`,
    class: 'sparkline',
    role: 'img',
    'aria-label': 'trend',
  })
  if (values.length > 0) {
    const step = values.length > 1 ? w / (values.length - 1) : 0
    svg.appendChild(
      node('polyline', {
        points: values
          .map((v, i) => `${(i * step).toFixed(1)},${(h - 1 - (v / top) * (h - 2)).toFixed(1)}`)
          .join(' '),
        fill: 'none',
        stroke: colours[0],
        'stroke-width': 1.5,
      }),
    )
  }
  svg.appendChild(node('title', {}, values.length ? `last ${values.at(-1)}` : 'no measurements yet'))
  return svg
}
