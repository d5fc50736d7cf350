// Card controls and their callbacks: inputs, selects, pickers, buttons, form submission, and `fire`, which sends
// Lark's card.action.trigger for a click through the console API and shows the answer's toast.
import { S, api, h, hooks, toast } from './base.js';
import { richText, textOf } from './markdown.js';

function callbackOf(comp) {
  var b = comp.behaviors;
  if (Array.isArray(b)) for (var i = 0; i < b.length; i++) if (b[i] && b[i].type === 'callback') return { has: true, value: b[i].value };
  if (comp.value !== undefined) return { has: true, value: comp.value };
  return { has: false };
}

function urlOf(comp) {
  var b = comp.behaviors;
  if (Array.isArray(b))
    for (var i = 0; i < b.length; i++) if (b[i] && b[i].type === 'open_url') return b[i].default_url || b[i].pc_url || b[i].url;
  return comp.url || (comp.multi_url && (comp.multi_url.pc_url || comp.multi_url.url)) || null;
}

function tz(v) {
  return v ? v + ' +0800' : v;
}

function labelFor(e, control) {
  var lbl = e.label ? textOf(e.label) : '';
  if (!lbl) return control;
  var f = h('div', { class: 'field' + (e.label_position === 'left' ? ' inline' : '') }, [
    h('div', { class: 'lbl' }, [lbl, e.required ? h('span', { class: 'req', text: '*' }) : null]),
    control,
  ]);
  return f;
}

function register(ctx, e, read, reset, el) {
  if (ctx.form && e.name)
    ctx.form.fields.push({
      name: e.name,
      read: read,
      reset: reset,
      required: !!e.required,
      el: el,
      label: textOf(e.label) || textOf(e.placeholder) || e.name,
    });
}

function renderInput(e, ctx) {
  var multi = e.input_type === 'multiline_text';
  var ctl = multi ? h('textarea', { rows: e.rows || 3 }) : h('input', { type: e.input_type === 'password' ? 'password' : 'text' });
  ctl.setAttribute('data-testid', 'card-input-' + (e.name || ''));
  if (e.name) ctl.name = e.name;
  if (e.placeholder) ctl.placeholder = textOf(e.placeholder);
  if (e.default_value !== undefined) ctl.value = e.default_value;
  if (e.max_length) ctl.maxLength = e.max_length;
  if (e.disabled) ctl.disabled = true;
  if (e.width === 'fill' || !e.width) ctl.style.width = '100%';
  register(
    ctx,
    e,
    function () {
      return ctl.value;
    },
    function () {
      ctl.value = e.default_value || '';
    },
    ctl,
  );
  if (!ctx.form)
    ctl.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !multi) {
        ev.preventDefault();
        fire(ctx, { tag: 'input', name: e.name, input_value: ctl.value, value: callbackOf(e).value });
      }
    });
  return labelFor(e, ctl);
}

function renderSelect(e, ctx) {
  var multi = e.tag.indexOf('multi_') === 0;
  var sel = h('select', { 'data-testid': 'card-select-' + (e.name || '') });
  if (multi) sel.multiple = true;
  if (e.name) sel.name = e.name;
  if (!multi) sel.appendChild(h('option', { value: '', text: textOf(e.placeholder) || '请选择' }));
  var opts = e.options || [];
  if (e.tag.indexOf('person') >= 0 && !opts.length && S.dir)
    opts = S.dir.users.map(function (u) {
      return { text: { content: u.name }, value: u.open_id };
    });
  opts.forEach(function (o) {
    sel.appendChild(h('option', { value: o.value, text: textOf(o.text) || o.value }));
  });
  if (e.initial_option) sel.value = e.initial_option;
  if (e.initial_index) sel.selectedIndex = e.initial_index;
  if (multi && Array.isArray(e.selected_values))
    Array.prototype.forEach.call(sel.options, function (o) {
      o.selected = e.selected_values.indexOf(o.value) >= 0;
    });
  if (e.disabled) sel.disabled = true;
  var read = function () {
    return multi
      ? Array.prototype.filter
          .call(sel.options, function (o) {
            return o.selected;
          })
          .map(function (o) {
            return o.value;
          })
      : sel.value;
  };
  register(
    ctx,
    e,
    read,
    function () {
      sel.value = e.initial_option || '';
    },
    sel,
  );
  if (!ctx.form)
    sel.addEventListener('change', function () {
      var a = { tag: e.tag, name: e.name, value: callbackOf(e).value };
      if (multi) a.options = read();
      else a.option = sel.value;
      fire(ctx, a);
    });
  return labelFor(e, sel);
}

function renderDate(e, ctx) {
  var type = e.tag === 'picker_time' ? 'time' : e.tag === 'picker_datetime' ? 'datetime-local' : 'date';
  var ctl = h('input', { type: type, 'data-testid': 'card-date-' + (e.name || '') });
  if (e.name) ctl.name = e.name;
  var init = e.initial_date || e.initial_time || e.initial_datetime;
  if (init) ctl.value = type === 'datetime-local' ? String(init).replace(' ', 'T') : init;
  var read = function () {
    return ctl.value ? tz(type === 'datetime-local' ? ctl.value.replace('T', ' ') : ctl.value) : '';
  };
  // Lark shows an empty picker as its placeholder (e.g. 请选择日期), never the browser's mm/dd/yyyy.
  var wrap = h('span', { class: 'date-wrap' }, [ctl, h('span', { class: 'date-ph', text: textOf(e.placeholder) || '请选择日期' })]);
  var shown = function () {
    wrap.classList.toggle('unset', !ctl.value);
  };
  shown();
  ctl.addEventListener('input', shown);
  ctl.addEventListener('change', shown);
  register(
    ctx,
    e,
    read,
    function () {
      ctl.value = init || '';
      shown();
    },
    ctl,
  );
  if (!ctx.form)
    ctl.addEventListener('change', function () {
      fire(ctx, { tag: e.tag, name: e.name, option: read(), timezone: 'Asia/Shanghai', value: callbackOf(e).value });
    });
  return labelFor(e, wrap);
}

function renderChecker(e, ctx) {
  var box = h('input', { type: 'checkbox' });
  box.checked = !!e.checked;
  var lab = h('label', { style: { display: 'flex', gap: '6px', alignItems: 'center' } }, [box, richText(e.text) || '']);
  register(
    ctx,
    e,
    function () {
      return box.checked;
    },
    function () {
      box.checked = !!e.checked;
    },
    box,
  );
  if (!ctx.form)
    box.addEventListener('change', function () {
      fire(ctx, { tag: 'checker', name: e.name, checked: box.checked, value: callbackOf(e).value });
    });
  return lab;
}

function renderButton(e, ctx) {
  var text = textOf(e.text) || '按钮';
  var b = h('button', {
    type: 'button',
    class: 'btn ' + (e.type || 'default') + (e.size ? ' ' + e.size : '') + (e.width === 'fill' ? ' fill' : ''),
    'data-testid': 'card-button-' + text,
    'data-button-name': e.name,
    text: text,
  });
  if (e.disabled) b.disabled = true;
  var formCtx = ctx.form;
  b.addEventListener('click', function () {
    if (e.confirm && !window.confirm(textOf(e.confirm.title) + '\n' + textOf(e.confirm.text))) return;
    if (formCtx && e.form_action_type === 'reset') {
      formCtx.fields.forEach(function (f) {
        f.reset();
      });
      return;
    }
    if (formCtx && e.form_action_type === 'submit') {
      submitForm(formCtx, e, ctx, b);
      return;
    }
    var url = urlOf(e);
    if (url) {
      window.open(url, '_blank');
      return;
    }
    var cb = callbackOf(e);
    if (!cb.has) {
      toast('这个按钮没有回传交互（behaviors 里没有 callback，也没有 value）', 'warning');
      return;
    }
    var a = { tag: 'button', value: cb.value };
    if (e.name) a.name = e.name;
    fire(ctx, a, b);
  });
  return b;
}

function submitForm(form, btn, ctx, el) {
  var missing = [],
    value = {};
  Array.prototype.forEach.call(form.el.querySelectorAll('.err'), function (x) {
    x.remove();
  });
  form.fields.forEach(function (f) {
    var v = f.read();
    f.el.classList.remove('invalid');
    var empty = v === '' || v === null || v === undefined || (Array.isArray(v) && !v.length) || (v === false && f.required);
    if (f.required && empty) {
      missing.push(f.label);
      f.el.classList.add('invalid');
    }
    if (!(v === '' || (Array.isArray(v) && !v.length))) value[f.name] = v;
  });
  if (missing.length) {
    form.el.appendChild(h('div', { class: 'err', text: '请填写必填项：' + missing.join('、') }));
    return;
  }
  var a = { tag: 'button', form_value: value };
  if (btn.name) a.name = btn.name;
  var cb = callbackOf(btn);
  if (cb.has) a.value = cb.value;
  fire(ctx, a, el);
}

function fire(ctx, action, el) {
  if (el) el.classList.add('busy');
  api('click', { messageId: ctx.msg.message_id, operator: S.me, action: action }).then(
    function (r) {
      if (el) el.classList.remove('busy');
      if (r.error && r.status === undefined) {
        toast(r.error, 'error');
        return;
      }
      if (r.toast && (r.toast.content || (r.toast.i18n && r.toast.i18n.zh_cn)))
        toast(r.toast.content || r.toast.i18n.zh_cn, r.toast.type || 'info');
      else if (r.error) toast('操作失败：' + r.error, 'error');
      hooks.refresh(true);
    },
    function (err) {
      if (el) el.classList.remove('busy');
      toast('请求失败：' + err, 'error');
    },
  );
}

export { callbackOf, fire, renderButton, renderChecker, renderDate, renderInput, renderSelect, submitForm, urlOf };
