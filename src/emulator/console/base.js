// The console's shared state and DOM helpers, and the one way to the console's JSON API.

var S = { dir: null, me: null, chatId: null, chatType: null, convs: [], rev: -1, msgRev: {}, rendered: {}, polling: false };
var $ = function (id) {
  return document.getElementById(id);
};
var PALETTE = ['#3370ff', '#34c724', '#ff8800', '#7f3bf5', '#f54a45', '#14c0ff', '#ffc60a', '#f14ba9', '#00b8a9', '#8f959e'];
var AVATAR_COLORS = ['#f5a623', '#4a90e2', '#50b83c', '#9c6ade', '#e86452', '#47c1bf', '#de7802', '#3370ff'];

function h(tag, attrs, children) {
  var el = document.createElement(tag);
  if (attrs)
    for (var k in attrs) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'html') el.innerHTML = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else if (k === 'style' && typeof v === 'object') {
        for (var s in v) el.style[s] = v[s];
      } else el.setAttribute(k, v === true ? '' : v);
    }
  (children || []).forEach(function (c) {
    if (c !== null && c !== undefined) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  });
  return el;
}
function esc(s) {
  return String(s === undefined || s === null ? '' : s).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
function api(path, body) {
  var init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return fetch('/emulator/api/' + path, init).then(function (r) {
    return r.json();
  });
}
function toast(text, type) {
  var t = $('toast');
  t.textContent = text;
  t.className = 'show ' + (type || 'info');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(function () {
    t.className = '';
  }, 2600);
}
function hash(s) {
  var x = 0;
  for (var i = 0; i < s.length; i++) x = (x * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(x);
}
function avatar(name, kind, id) {
  if (kind === 'bot') return h('div', { class: 'avatar bot', text: '机' });
  if (kind === 'group') return h('div', { class: 'avatar group', text: (name || '群').slice(0, 1) });
  return h('div', {
    class: 'avatar',
    style: { background: AVATAR_COLORS[hash(id || name) % AVATAR_COLORS.length] },
    text: (name || '?').slice(-2),
  });
}
function fmtTime(ms) {
  var d = new Date(ms);
  var p = function (n) {
    return (n < 10 ? '0' : '') + n;
  };
  return p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
}
function nameOf(openId) {
  if (S.dir && openId === S.dir.bot.open_id) return S.dir.bot.name;
  var u =
    S.dir &&
    S.dir.users.filter(function (x) {
      return x.open_id === openId;
    })[0];
  return u ? u.name : openId;
}

/** Set by app.js: cards ask for a refresh after a click without importing the app (no import cycle). */
var hooks = {
  refresh: function () {
    return Promise.resolve();
  },
};

export { S, $, PALETTE, h, esc, api, toast, avatar, fmtTime, nameOf, hooks };
