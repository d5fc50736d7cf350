// The card table component: typed cells, pages of `page_size` rows.
import { h, nameOf } from './base.js';
import { inline } from './markdown.js';

function fmtNum(v, f) {
  if (typeof v !== 'number') return v === undefined || v === null ? '' : String(v);
  var s = f && f.precision !== undefined ? v.toFixed(f.precision) : String(v);
  if (!f || f.separator !== false) {
    var parts = s.split('.');
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    s = parts.join('.');
  }
  return (f && f.symbol ? f.symbol : '') + s;
}

function renderTable(e) {
  var columns = e.columns || [],
    rows = e.rows || [],
    size = e.page_size || 5,
    page = 0;
  var box = h('div'),
    wrap = h('div', { class: 'tbl-wrap' }),
    foot = h('div', { class: 'tbl-foot' });
  box.appendChild(wrap);
  box.appendChild(foot);
  function cell(col, v) {
    var td = h('td');
    switch (col.data_type) {
      case 'number':
        td.className = 'num';
        td.textContent = fmtNum(v, col.format);
        break;
      case 'lark_md':
      case 'markdown':
        td.className = 'md';
        td.innerHTML = inline(v === undefined ? '' : String(v));
        break;
      case 'options':
        (Array.isArray(v) ? v : v ? [v] : []).forEach(function (o) {
          td.appendChild(
            h('span', { class: 'ttag tg-' + ((o && o.color) || 'neutral'), text: o && o.text !== undefined ? o.text : String(o) }),
          );
          td.appendChild(document.createTextNode(' '));
        });
        break;
      case 'persons':
        td.textContent = (Array.isArray(v) ? v : v ? [v] : [])
          .map(function (p) {
            return '@' + nameOf(p);
          })
          .join(' ');
        break;
      case 'date':
        td.textContent = typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : String(v === undefined ? '' : v);
        break;
      default:
        td.textContent = v === undefined || v === null ? '' : String(v);
    }
    if (col.horizontal_align) td.style.textAlign = col.horizontal_align;
    return td;
  }
  function draw() {
    wrap.innerHTML = '';
    var t = h('table', { class: 'tbl', 'data-testid': 'card-table' });
    if (e.header_style === undefined || e.header_style.visible !== false)
      t.appendChild(
        h('thead', {}, [
          h(
            'tr',
            {},
            columns.map(function (c) {
              return h('th', { text: c.display_name || c.name, style: c.width && c.width !== 'auto' ? { width: c.width } : undefined });
            }),
          ),
        ]),
      );
    var tb = h('tbody');
    rows.slice(page * size, page * size + size).forEach(function (r) {
      tb.appendChild(
        h(
          'tr',
          {},
          columns.map(function (c) {
            return cell(c, r[c.name]);
          }),
        ),
      );
    });
    t.appendChild(tb);
    wrap.appendChild(t);
    foot.innerHTML = '';
    var pages = Math.max(1, Math.ceil(rows.length / size));
    foot.appendChild(h('span', { text: '共 ' + rows.length + ' 行' }));
    if (pages > 1)
      foot.appendChild(
        h('span', {}, [
          h('button', {
            text: '‹',
            onclick: function () {
              if (page > 0) {
                page--;
                draw();
              }
            },
          }),
          ' ' + (page + 1) + ' / ' + pages + ' ',
          h('button', {
            text: '›',
            onclick: function () {
              if (page < pages - 1) {
                page++;
                draw();
              }
            },
          }),
        ]),
      );
  }
  draw();
  return box;
}

export { renderTable };
