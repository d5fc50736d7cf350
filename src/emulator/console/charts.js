// Card charts: a VChart spec drawn as plain SVG the way Lark's card renders it: bar (vertical or horizontal,
// grouped or stacked), line, area, pie/rose (ring with innerRadius) and funnel. Each SVG carries data-chart-type
// with the type it was drawn as, so a test can tell a funnel from a line.
import { PALETTE, h } from './base.js';

/* ---------- charts (VChart spec → SVG) ---------- */
function chartData(spec) {
  var d = spec.data;
  var vals = [];
  if (Array.isArray(d))
    d.forEach(function (x) {
      vals = vals.concat((x && x.values) || []);
    });
  else if (d && Array.isArray(d.values)) vals = d.values;
  return vals;
}
function first(f) {
  return Array.isArray(f) ? f[0] : f;
}
function svgEl(tag, attrs, text) {
  var el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (var k in attrs) el.setAttribute(k, attrs[k]);
  if (text !== undefined) el.textContent = text;
  return el;
}
function niceMax(v) {
  if (v <= 0) return 1;
  var p = Math.pow(10, Math.floor(Math.log10(v)));
  var n = v / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
}
function shortNum(v) {
  return Math.abs(v) >= 10000 ? (v / 10000).toFixed(Math.abs(v) >= 100000 ? 0 : 1) + '万' : String(Math.round(v * 100) / 100);
}
function renderChart(e) {
  var spec = e.chart_spec || {};
  if (spec.type === 'common' && Array.isArray(spec.series) && spec.series.length) {
    var s0 = spec.series[0];
    spec = Object.assign({}, spec, s0, { data: s0.data || spec.data, type: s0.type });
    if (s0.dataId !== undefined && Array.isArray(e.chart_spec.data))
      spec.data = e.chart_spec.data.filter(function (x) {
        return x.id === s0.dataId;
      });
  }
  var box = h('div', { class: 'chart', 'data-testid': 'card-chart' });
  var title = spec.title && (spec.title.text || spec.title.content);
  if (title) box.appendChild(h('div', { class: 'ttl', text: Array.isArray(title) ? title.join(' ') : title }));
  var vals = chartData(spec),
    type = spec.type || 'bar';
  // A phone's card is ~340 px wide: a narrower drawing keeps the labels readable instead of scaling them down.
  var narrow = typeof window !== 'undefined' && window.innerWidth < 600;
  var W = narrow ? 340 : 520,
    H = narrow ? 220 : 240,
    svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'data-chart-type': type });
  box.appendChild(svg);
  if (!vals.length) {
    svg.appendChild(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', fill: '#8f959e', 'font-size': 13 }, '无数据'));
    return box;
  }
  if (type === 'funnel') return drawFunnel(spec, vals, svg, box, W, H);
  if (type === 'pie' || type === 'rose') {
    var cat = spec.categoryField || first(spec.xField) || 'type',
      val = spec.valueField || first(spec.yField) || 'value';
    var total =
        vals.reduce(function (s, v) {
          return s + (+v[val] || 0);
        }, 0) || 1,
      a0 = -Math.PI / 2,
      cx = narrow ? 90 : 130,
      cy = H / 2,
      r = narrow ? 72 : 90;
    var inner = spec.innerRadius ? r * spec.innerRadius : 0;
    vals.forEach(function (v, i) {
      var frac = (+v[val] || 0) / total,
        a1 = a0 + frac * Math.PI * 2,
        large = frac > 0.5 ? 1 : 0;
      var p =
        frac >= 0.9999
          ? 'M' + cx + ' ' + (cy - r) + ' A' + r + ' ' + r + ' 0 1 1 ' + (cx - 0.01) + ' ' + (cy - r) + ' Z'
          : 'M' +
            cx +
            ' ' +
            cy +
            ' L' +
            (cx + r * Math.cos(a0)) +
            ' ' +
            (cy + r * Math.sin(a0)) +
            ' A' +
            r +
            ' ' +
            r +
            ' 0 ' +
            large +
            ' 1 ' +
            (cx + r * Math.cos(a1)) +
            ' ' +
            (cy + r * Math.sin(a1)) +
            ' Z';
      // an empty category has no slice (its legend line stays, with 0)
      if (frac > 0) svg.appendChild(svgEl('path', { d: p, fill: PALETTE[i % PALETTE.length], stroke: '#fff', 'stroke-width': 1.5 }));
      var ly = 30 + i * 22;
      if (ly < H - 10) {
        var lx = cx + r + 20;
        svg.appendChild(svgEl('rect', { x: lx, y: ly - 10, width: 12, height: 12, rx: 2, fill: PALETTE[i % PALETTE.length] }));
        svg.appendChild(
          svgEl(
            'text',
            { x: lx + 18, y: ly, 'font-size': narrow ? 12 : 13, fill: '#1f2329' },
            String(v[cat]) + '  ' + shortNum(+v[val] || 0) + '（' + Math.round(frac * 100) + '%）',
          ),
        );
      }
      a0 = a1;
    });
    if (inner) svg.appendChild(svgEl('circle', { cx: cx, cy: cy, r: inner, fill: '#fff' }));
    return box;
  }
  var horizontal = spec.direction === 'horizontal';
  var xf = first(horizontal ? spec.yField : spec.xField) || 'x',
    yf = first(horizontal ? spec.xField : spec.yField) || 'y',
    sf = spec.seriesField;
  var cats = [],
    series = [];
  vals.forEach(function (v) {
    var c = String(v[xf]);
    if (cats.indexOf(c) < 0) cats.push(c);
    var s = sf ? String(v[sf]) : '';
    if (series.indexOf(s) < 0) series.push(s);
  });
  var get = function (c, s) {
    var hit = vals.filter(function (v) {
      return String(v[xf]) === c && (!sf || String(v[sf]) === s);
    })[0];
    return hit ? +hit[yf] || 0 : 0;
  };
  var stacked = !!spec.stack && type === 'bar';
  var maxV = 0;
  cats.forEach(function (c) {
    if (stacked)
      maxV = Math.max(
        maxV,
        series.reduce(function (t, s) {
          return t + get(c, s);
        }, 0),
      );
    else
      series.forEach(function (s) {
        maxV = Math.max(maxV, get(c, s));
      });
  });
  maxV = niceMax(maxV);
  var left = narrow ? 40 : 52,
    right = 12,
    top = sf ? 30 : 14,
    bottom = 34,
    pw = W - left - right,
    ph = H - top - bottom;
  for (var g = 0; g <= 4; g++) {
    var gy = top + ph - (ph * g) / 4;
    svg.appendChild(svgEl('line', { x1: left, x2: W - right, y1: gy, y2: gy, stroke: g === 0 ? '#bbbfc4' : '#eff0f1' }));
    svg.appendChild(
      svgEl('text', { x: left - 6, y: gy + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#8f959e' }, shortNum((maxV * g) / 4)),
    );
  }
  var band = pw / cats.length;
  cats.forEach(function (c, i) {
    var room = Math.max(3, Math.floor(band / 11));
    var label = c.length > room ? c.slice(0, room - 1) + '…' : c;
    svg.appendChild(
      svgEl(
        'text',
        { x: left + band * i + band / 2, y: H - bottom + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#646a73' },
        label,
      ),
    );
  });
  if (sf)
    series.forEach(function (s, i) {
      svg.appendChild(svgEl('rect', { x: left + i * 96, y: 8, width: 10, height: 10, rx: 2, fill: PALETTE[i % PALETTE.length] }));
      svg.appendChild(svgEl('text', { x: left + i * 96 + 14, y: 17, 'font-size': 11, fill: '#646a73' }, s));
    });
  var yOf = function (v) {
    return top + ph - (v / maxV) * ph;
  };
  if (type === 'bar' || type === 'histogram') {
    var groups = stacked ? 1 : series.length,
      bw = Math.min(36, (band * 0.7) / groups);
    cats.forEach(function (c, i) {
      var acc = 0;
      series.forEach(function (s, j) {
        var v = get(c, s),
          x = left + band * i + band / 2 - (bw * groups) / 2 + (stacked ? 0 : j * bw);
        var y0 = yOf(acc),
          y1 = yOf(acc + v);
        svg.appendChild(
          svgEl('rect', {
            x: x + 1,
            y: y1,
            width: Math.max(1, bw - 2),
            height: Math.max(0, y0 - y1),
            rx: 2,
            fill: PALETTE[j % PALETTE.length],
          }),
        );
        if (!stacked && cats.length * groups <= 16 && v)
          svg.appendChild(
            svgEl('text', { x: x + bw / 2, y: y1 - 4, 'text-anchor': 'middle', 'font-size': 10, fill: '#646a73' }, shortNum(v)),
          );
        if (stacked) acc += v;
      });
    });
  } else {
    series.forEach(function (s, j) {
      var pts = cats.map(function (c, i) {
        return [left + band * i + band / 2, yOf(get(c, s))];
      });
      var color = PALETTE[j % PALETTE.length];
      if (type === 'area')
        svg.appendChild(
          svgEl('polygon', {
            points:
              pts
                .map(function (p) {
                  return p.join(',');
                })
                .join(' ') +
              ' ' +
              pts[pts.length - 1][0] +
              ',' +
              (top + ph) +
              ' ' +
              pts[0][0] +
              ',' +
              (top + ph),
            fill: color,
            'fill-opacity': 0.15,
          }),
        );
      svg.appendChild(
        svgEl('polyline', {
          points: pts
            .map(function (p) {
              return p.join(',');
            })
            .join(' '),
          fill: 'none',
          stroke: color,
          'stroke-width': 2,
        }),
      );
      pts.forEach(function (p) {
        svg.appendChild(svgEl('circle', { cx: p[0], cy: p[1], r: 3, fill: '#fff', stroke: color, 'stroke-width': 2 }));
      });
    });
  }
  return box;
}

/**
 * A VChart funnel as Lark draws it: one layer per category from the top down, centred, each as wide as its value
 * (the widest value spans the chart), narrowing to the next layer's width when that is smaller; the category and value written in the
 * layer (beside it when the layer is too narrow for the words).
 */
function drawFunnel(spec, vals, svg, box, W, H) {
  var cat = spec.categoryField || first(spec.xField) || 'type',
    val = spec.valueField || first(spec.yField) || 'value';
  var nums = vals.map(function (v) {
    return Math.max(0, +v[val] || 0);
  });
  var maxV =
    nums.reduce(function (m, v) {
      return Math.max(m, v);
    }, 0) || 1;
  var top = 8,
    gap = 3,
    n = vals.length,
    lh = Math.min(44, (H - top * 2 - gap * (n - 1)) / n),
    full = W - 24,
    minW = full * 0.08,
    cx = W / 2;
  var widthOf = function (v) {
    return minW + (full - minW) * (v / maxV);
  };
  vals.forEach(function (v, i) {
    var w0 = widthOf(nums[i]),
      // narrowing to the next layer, never widening: a stage with more projects than the one above stays its own width
      w1 = i + 1 < n ? Math.min(w0, widthOf(nums[i + 1])) : w0 * 0.85,
      y0 = top + i * (lh + gap),
      y1 = y0 + lh,
      color = PALETTE[i % PALETTE.length];
    var pts = [
      [cx - w0 / 2, y0],
      [cx + w0 / 2, y0],
      [cx + w1 / 2, y1],
      [cx - w1 / 2, y1],
    ];
    svg.appendChild(
      svgEl('polygon', {
        points: pts
          .map(function (p) {
            return p.join(',');
          })
          .join(' '),
        fill: color,
        'data-funnel-layer': String(v[cat]),
      }),
    );
    var label = String(v[cat]) + ' ' + shortNum(nums[i]);
    var inside = Math.min(w0, w1) > label.length * 13 + 8;
    svg.appendChild(
      svgEl(
        'text',
        {
          x: inside ? cx : cx + Math.max(w0, w1) / 2 + 6,
          y: (y0 + y1) / 2 + 4.5,
          'text-anchor': inside ? 'middle' : 'start',
          'font-size': 13,
          fill: inside ? '#fff' : '#1f2329',
        },
        label,
      ),
    );
  });
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + Math.ceil(top * 2 + n * lh + (n - 1) * gap));
  return box;
}

export { renderChart };
