// Cards: JSON 2.0 and 1.0 layouts and display components; controls live in form.js, tables in table.js.
import { h, nameOf } from './base.js';
import { renderChart } from './charts.js';
import { callbackOf, fire, renderButton, renderChecker, renderDate, renderInput, renderSelect, urlOf } from './form.js';
import { inline, md, richText, textOf } from './markdown.js';
import { renderTable } from './table.js';

function renderCard(card, msg) {
  var root = h('div', { class: 'card', 'data-testid': 'card', 'data-message-id': msg.message_id });
  if (card && card.type === 'template') {
    var d = card.data || {};
    root.appendChild(
      h('div', { class: 'card-body template' }, [
        h('div', { text: '模板卡片 ' + (d.template_id || '') + (d.template_version_name ? ' (' + d.template_version_name + ')' : '') }),
        h('pre', { text: JSON.stringify(d.template_variable || {}, null, 2) }),
      ]),
    );
    return root;
  }
  var hd = card.header;
  if (hd && (hd.title || hd.subtitle)) {
    var head = h('div', { class: 'card-header hd-' + (hd.template || 'default'), 'data-testid': 'card-title' }, [
      h('div', { class: 't', text: textOf(hd.title) }),
      hd.subtitle ? h('div', { class: 'st', text: textOf(hd.subtitle) }) : null,
    ]);
    var tags = hd.text_tag_list || [];
    if (tags.length)
      head.appendChild(
        h(
          'div',
          { class: 'tags' },
          tags.map(function (t) {
            return h('span', { class: 'ttag tg-' + (t.color || 'neutral'), text: textOf(t.text) });
          }),
        ),
      );
    root.appendChild(head);
  }
  var elements =
    card.schema === '2.0'
      ? (card.body && card.body.elements) || []
      : card.elements || (card.i18n_elements && card.i18n_elements.zh_cn) || [];
  var body = h('div', { class: 'card-body' });
  var ctx = { msg: msg, card: card, form: null };
  elements.forEach(function (e) {
    var el = renderEl(e, ctx);
    if (el) body.appendChild(el);
  });
  root.appendChild(body);
  return root;
}

function renderEls(list, ctx, into) {
  (list || []).forEach(function (e) {
    var el = renderEl(e, ctx);
    if (el) into.appendChild(el);
  });
  return into;
}

function renderEl(e, ctx) {
  if (!e || typeof e !== 'object') return null;
  switch (e.tag) {
    case 'markdown':
    case 'lark_md': {
      var el = h('div', { class: 'md', 'data-testid': 'card-markdown' });
      el.innerHTML = md(textOf(e));
      if (e.text_align) el.style.textAlign = e.text_align;
      if (e.text_size === 'notation') el.classList.add('size-notation');
      if (e.text_size === 'heading' || e.text_size === 'heading-1') {
        el.style.fontSize = '16px';
        el.style.fontWeight = '600';
      }
      return el;
    }
    case 'plain_text': {
      var p = h('div', { text: textOf(e) });
      p.style.whiteSpace = 'pre-wrap';
      return p;
    }
    case 'div': {
      var wrap = h('div');
      var row = h('div', { style: { display: 'flex', gap: '12px', alignItems: 'center' } });
      var main = h('div', { style: { flex: '1', minWidth: '0' } });
      if (e.text) main.appendChild(richText(e.text));
      if (e.fields && e.fields.length)
        main.appendChild(
          h(
            'div',
            { class: 'fields' },
            e.fields.map(function (f) {
              var x = richText(f.text);
              if (!f.is_short) x.classList.add('full');
              return x;
            }),
          ),
        );
      row.appendChild(main);
      if (e.extra) {
        var ex = renderEl(e.extra, ctx);
        if (ex) row.appendChild(ex);
      }
      wrap.appendChild(row);
      return wrap;
    }
    case 'hr':
      return h('hr', { class: 'divider' });
    case 'note': {
      var n = h('div', { class: 'note' });
      (e.elements || []).forEach(function (x) {
        var c = x.tag === 'img' ? null : richText(x);
        if (c) {
          c.style.display = 'inline';
          n.appendChild(c);
          n.appendChild(document.createTextNode(' '));
        }
      });
      return n;
    }
    case 'column_set': {
      var cols = h('div', {
        class: 'cols' + (e.flex_mode && e.flex_mode !== 'none' ? ' wrap' : '') + (e.background_style === 'grey' ? ' bg-grey' : ''),
      });
      if (e.horizontal_spacing)
        cols.style.gap = /^\d+px$/.test(e.horizontal_spacing)
          ? e.horizontal_spacing
          : e.horizontal_spacing === 'large'
            ? '16px'
            : e.horizontal_spacing === 'small'
              ? '4px'
              : '8px';
      (e.columns || []).forEach(function (c) {
        cols.appendChild(renderEl(Object.assign({ tag: 'column' }, c), ctx));
      });
      if (e.behaviors || e.action) {
        var cb = callbackOf(e);
        if (cb.has) {
          cols.classList.add('container-click');
          cols.addEventListener('click', function () {
            fire(ctx, { tag: 'column_set', value: cb.value });
          });
        }
      }
      return cols;
    }
    case 'column': {
      var col = h('div', {
        class:
          'col' +
          (e.vertical_align === 'center' ? ' va-center' : e.vertical_align === 'bottom' ? ' va-bottom' : '') +
          (e.background_style === 'grey' ? ' bg-grey' : ''),
      });
      if (e.width === 'auto') col.style.flex = '0 0 auto';
      else if (e.width && /px$/.test(e.width)) col.style.flex = '0 0 ' + e.width;
      else col.style.flex = String(e.weight || 1) + ' 1 0';
      if (e.padding) col.style.padding = e.padding;
      return renderEls(e.elements, ctx, col);
    }
    case 'table':
      return renderTable(e);
    case 'form':
      return renderForm(e, ctx);
    case 'input':
      return renderInput(e, ctx);
    case 'select_static':
    case 'multi_select_static':
    case 'select_person':
    case 'multi_select_person':
      return renderSelect(e, ctx);
    case 'date_picker':
    case 'picker_time':
    case 'picker_datetime':
      return renderDate(e, ctx);
    case 'checker':
      return renderChecker(e, ctx);
    case 'button':
      return renderButton(e, ctx);
    case 'action': {
      var acts = h('div', { class: 'actions' });
      (e.actions || []).forEach(function (a) {
        var x = renderEl(a, ctx);
        if (x) acts.appendChild(x);
      });
      if (e.layout === 'bisected' || e.layout === 'trisection')
        Array.prototype.forEach.call(acts.children, function (c) {
          c.style.flex = '1';
        });
      return acts;
    }
    case 'overflow': {
      var sel = h(
        'select',
        { 'data-testid': 'card-overflow' },
        [h('option', { value: '', text: '⋯ 更多' })].concat(
          (e.options || []).map(function (o) {
            return h('option', { value: o.value, text: textOf(o.text) });
          }),
        ),
      );
      sel.style.width = 'auto';
      sel.addEventListener('change', function () {
        if (sel.value) fire(ctx, { tag: 'overflow', option: sel.value, value: callbackOf(e).value });
      });
      return sel;
    }
    case 'chart':
      return renderChart(e);
    case 'img':
    case 'image': {
      var key = e.img_key || e.image_key;
      if (key && /^img_v3_/.test(key))
        return h('img', { class: 'img', src: '/emulator/api/files/' + encodeURIComponent(key), alt: textOf(e.alt) });
      return h('div', { class: 'img-ph', text: '图片 ' + (textOf(e.alt) || key || '') });
    }
    case 'collapsible_panel': {
      var det = h('details', { class: 'panel' });
      if (e.expanded) det.open = true;
      var title = e.header && e.header.title ? textOf(e.header.title) : '展开';
      var sum = h('summary');
      sum.innerHTML = inline(title);
      det.appendChild(sum);
      det.appendChild(renderEls(e.elements, ctx, h('div', { class: 'inner' })));
      return det;
    }
    case 'interactive_container': {
      var ic = renderEls(
        e.elements,
        ctx,
        h('div', { class: 'col container-click', style: { padding: '8px', border: '1px solid #e4e5e7' } }),
      );
      var icb = callbackOf(e),
        iurl = urlOf(e);
      ic.addEventListener('click', function () {
        if (iurl) window.open(iurl, '_blank');
        else if (icb.has) fire(ctx, { tag: 'interactive_container', value: icb.value });
      });
      return ic;
    }
    case 'person':
      return h('span', { class: 'at', text: '@' + nameOf(e.user_id) });
    case 'person_list':
      return h(
        'div',
        {},
        (e.persons || []).map(function (p) {
          return h('span', { class: 'at', text: '@' + nameOf(p.id) + ' ' });
        }),
      );
    case 'text_tag':
      return h('span', { class: 'ttag tg-' + (e.color || 'neutral'), text: textOf(e.text) });
    default:
      return h('div', { class: 'unknown', text: '[模拟器未渲染的组件: ' + e.tag + ']' });
  }
}

function renderForm(e, ctx) {
  var f = h('form', {
    class: 'form',
    'data-testid': 'card-form-' + (e.name || ''),
    onsubmit: function (ev) {
      ev.preventDefault();
    },
  });
  var fctx = { msg: ctx.msg, card: ctx.card, form: { name: e.name, fields: [], el: f } };
  renderEls(e.elements, fctx, f);
  return f;
}

export { renderCard };
