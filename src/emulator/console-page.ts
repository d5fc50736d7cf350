/**
 * The console page served at GET /emulator: one HTML document with inline CSS and vanilla JS, no build step.
 * Embedded as a string so nothing is read from disk at runtime (works under tsx, in a bundle and on Workers).
 *
 * Written without template literals inside the page script: this file is itself a template literal.
 * Backticks in the page script are written as \x60.
 */
export const CONSOLE_HTML = String.raw`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>飞书模拟器 · 招商引资项目推进机器人</title>
<style>
  :root {
    --bg: #f2f3f5; --panel: #fff; --line: #e4e5e7; --text: #1f2329; --sub: #646a73; --faint: #8f959e;
    --blue: #3370ff; --blue-bg: #e1eaff; --mine: #cce0ff; --danger: #f54a45; --green: #34c724; --orange: #ff8800;
    --radius: 8px;
  }
  * { box-sizing: border-box; }
  html, body { margin: 0; height: 100%; }
  body { font: 14px/1.55 -apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
         "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--text); background: var(--bg); }
  button, input, select, textarea { font: inherit; color: inherit; }
  #app { display: flex; height: 100vh; }

  /* sidebar */
  .sidebar { width: 288px; flex: none; background: #fafbfc; border-right: 1px solid var(--line); display: flex; flex-direction: column; }
  .brand { padding: 16px 16px 12px; border-bottom: 1px solid var(--line); }
  .brand b { display: block; font-size: 15px; }
  .brand span { color: var(--faint); font-size: 12px; }
  .who { padding: 12px 16px; border-bottom: 1px solid var(--line); }
  .who label { display: block; font-size: 12px; color: var(--sub); margin-bottom: 6px; }
  .who select { width: 100%; padding: 7px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
  .section { padding: 10px 16px 4px; font-size: 12px; color: var(--faint); }
  #chats { list-style: none; margin: 0; padding: 0 8px; overflow-y: auto; flex: 1; }
  .chat-item { display: flex; gap: 10px; align-items: center; padding: 9px 8px; border-radius: 8px; cursor: pointer; }
  .chat-item:hover { background: #eff0f1; }
  .chat-item.active { background: var(--blue-bg); }
  .chat-item .meta { min-width: 0; flex: 1; }
  .chat-item .name { font-weight: 500; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .chat-item .preview { color: var(--faint); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .chat-item .badge { font-size: 11px; color: var(--faint); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
  .foot { padding: 10px 16px; border-top: 1px solid var(--line); font-size: 12px; color: var(--faint); display: flex; justify-content: space-between; align-items: center; }
  .foot button { border: none; background: none; color: var(--blue); cursor: pointer; padding: 0; }

  .avatar { width: 36px; height: 36px; border-radius: 50%; flex: none; display: flex; align-items: center; justify-content: center;
            color: #fff; font-weight: 600; font-size: 14px; }
  .avatar.bot { background: linear-gradient(135deg, #3370ff, #4e83fd); }
  .avatar.group { border-radius: 8px; background: #7f3bf5; }

  /* chat */
  .chat { flex: 1; display: flex; flex-direction: column; min-width: 0; background: var(--panel); }
  .chat-header { height: 60px; flex: none; padding: 0 20px; border-bottom: 1px solid var(--line); display: flex; align-items: center; gap: 12px; }
  .chat-header .title { font-size: 16px; font-weight: 600; }
  .chat-header .sub { color: var(--faint); font-size: 12px; }
  .chat-header .spacer { flex: 1; }
  .chat-header button { border: 1px solid var(--blue); color: var(--blue); background: #fff; border-radius: 6px; padding: 4px 12px; cursor: pointer; }
  #messages { flex: 1; overflow-y: auto; padding: 16px 24px 24px; background: var(--bg); }
  .empty { color: var(--faint); text-align: center; margin-top: 80px; }
  .notice { text-align: center; color: var(--faint); font-size: 12px; margin: 10px 0; }
  .msg { display: flex; gap: 10px; margin: 14px 0; align-items: flex-start; }
  .msg.mine { flex-direction: row-reverse; }
  .msg .body { max-width: min(620px, 78%); display: flex; flex-direction: column; align-items: flex-start; }
  .msg.mine .body { align-items: flex-end; }
  .msg .who-line { font-size: 12px; color: var(--faint); margin-bottom: 4px; }
  .msg .who-line .tag { margin-left: 6px; color: var(--blue); }
  .bubble { background: #fff; border-radius: var(--radius); padding: 8px 12px; white-space: pre-wrap; word-break: break-word; box-shadow: 0 1px 1px rgba(31,35,41,.06); }
  .msg.mine .bubble { background: var(--mine); }
  .bubble .at { color: var(--blue); }
  .bubble.deleted { color: var(--faint); font-style: italic; background: transparent; box-shadow: none; }
  .file-chip { display: flex; gap: 10px; align-items: center; background: #fff; border: 1px solid var(--line); border-radius: var(--radius); padding: 10px 14px; min-width: 240px; }
  .file-chip .icon { width: 34px; height: 40px; border-radius: 4px; background: #1db362; color: #fff; font-size: 11px; display: flex; align-items: center; justify-content: center; font-weight: 600; }
  .file-chip a { color: var(--text); text-decoration: none; font-weight: 500; }
  .file-chip a:hover { color: var(--blue); }
  .updated { font-size: 11px; color: var(--faint); margin-top: 4px; }

  /* card */
  .card { width: 560px; max-width: 100%; background: #fff; border: 1px solid #dee0e3; border-radius: 10px; overflow: hidden; box-shadow: 0 1px 2px rgba(31,35,41,.08); }
  .card-header { padding: 12px 16px; }
  .card-header .t { font-size: 16px; font-weight: 600; line-height: 1.4; }
  .card-header .st { font-size: 13px; color: var(--sub); margin-top: 2px; }
  .card-header .tags { margin-top: 6px; display: flex; gap: 6px; flex-wrap: wrap; }
  .card-body { padding: 12px 16px 16px; display: flex; flex-direction: column; gap: 12px; }
  .card-body > *:first-child { margin-top: 0; }
  .hd-blue { background: #e1eaff; } .hd-blue .t { color: #1f3f99; }
  .hd-wathet { background: #e0f4fd; } .hd-wathet .t { color: #05577a; }
  .hd-turquoise { background: #d5f6f2; } .hd-turquoise .t { color: #066156; }
  .hd-green { background: #d9f5d6; } .hd-green .t { color: #186e10; }
  .hd-yellow { background: #faf1d1; } .hd-yellow .t { color: #6b5000; }
  .hd-orange { background: #feead2; } .hd-orange .t { color: #8a4200; }
  .hd-red { background: #fde2e2; } .hd-red .t { color: #a11f1b; }
  .hd-carmine { background: #fde2ee; } .hd-carmine .t { color: #9b1658; }
  .hd-violet { background: #f8def8; } .hd-violet .t { color: #7a1a7a; }
  .hd-purple { background: #ece2fe; } .hd-purple .t { color: #4c1ea1; }
  .hd-indigo { background: #e0e9ff; } .hd-indigo .t { color: #25328c; }
  .hd-grey { background: #eff0f1; } .hd-grey .t { color: #1f2329; }
  .hd-default { background: #fff; border-bottom: 1px solid var(--line); }
  .md { line-height: 1.65; word-break: break-word; }
  .md p { margin: 0 0 4px; } .md p:last-child { margin-bottom: 0; }
  .md ul, .md ol { margin: 2px 0 4px; padding-left: 22px; }
  .md h1, .md h2, .md h3, .md h4 { margin: 2px 0 4px; line-height: 1.4; }
  .md h1 { font-size: 20px; } .md h2 { font-size: 18px; } .md h3 { font-size: 16px; } .md h4 { font-size: 15px; }
  .md code { background: #f2f3f5; border-radius: 4px; padding: 0 4px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
  .md pre { background: #f2f3f5; border-radius: 6px; padding: 8px 10px; margin: 2px 0; overflow-x: auto; }
  .md blockquote { margin: 2px 0; padding-left: 10px; border-left: 3px solid #dee0e3; color: var(--sub); }
  .md a, .card a { color: var(--blue); text-decoration: none; }
  .md a:hover { text-decoration: underline; }
  .md hr { border: none; border-top: 1px solid var(--line); margin: 6px 0; }
  .size-notation, .note { font-size: 12px; color: var(--sub); }
  .ttag { display: inline-block; font-size: 12px; line-height: 18px; padding: 0 6px; border-radius: 4px; background: #eff0f1; color: #1f2329; }
  .c-red { color: #d83931; } .c-green { color: #2ea121; } .c-blue { color: #245bdb; } .c-orange { color: #de7802; }
  .c-grey { color: #8f959e; } .c-yellow { color: #b78d00; } .c-purple { color: #6425d0; } .c-violet { color: #b220b2; }
  .tg-red { background: #fde2e2; color: #a11f1b; } .tg-green { background: #d9f5d6; color: #186e10; }
  .tg-blue { background: #e1eaff; color: #1f3f99; } .tg-orange { background: #feead2; color: #8a4200; }
  .tg-yellow { background: #faf1d1; color: #6b5000; } .tg-purple { background: #ece2fe; color: #4c1ea1; }
  .tg-neutral, .tg-grey { background: #eff0f1; color: #1f2329; } .tg-turquoise { background: #d5f6f2; color: #066156; }
  .tg-violet { background: #f8def8; color: #7a1a7a; } .tg-indigo { background: #e0e9ff; color: #25328c; }
  .tg-carmine { background: #fde2ee; color: #9b1658; } .tg-wathet { background: #e0f4fd; color: #05577a; }
  .card hr.divider { border: none; border-top: 1px solid var(--line); margin: 0; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 16px; }
  .fields .full { grid-column: 1 / -1; }
  .cols { display: flex; gap: 8px; align-items: stretch; }
  .cols.wrap { flex-wrap: wrap; }
  .col { min-width: 0; display: flex; flex-direction: column; gap: 8px; }
  .col.va-center { justify-content: center; } .col.va-bottom { justify-content: flex-end; }
  .bg-grey { background: #f5f6f7; border-radius: 6px; padding: 8px 10px; }
  .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
  .btn { border: 1px solid #d0d3d6; background: #fff; border-radius: 6px; padding: 5px 14px; cursor: pointer; line-height: 20px; min-height: 32px; }
  .btn:hover { background: #f5f6f7; }
  .btn.primary { border-color: var(--blue); color: var(--blue); }
  .btn.primary:hover { background: #f0f4ff; }
  .btn.primary_filled { background: var(--blue); border-color: var(--blue); color: #fff; }
  .btn.primary_filled:hover { background: #2b63e6; }
  .btn.danger { border-color: var(--danger); color: var(--danger); }
  .btn.danger_filled { background: var(--danger); border-color: var(--danger); color: #fff; }
  .btn.text, .btn.primary_text, .btn.danger_text { border-color: transparent; background: none; padding-left: 4px; padding-right: 4px; }
  .btn.primary_text { color: var(--blue); } .btn.danger_text { color: var(--danger); }
  .btn.laser { border-color: #7f3bf5; color: #7f3bf5; }
  .btn.small { min-height: 26px; padding: 2px 10px; font-size: 13px; }
  .btn.large { min-height: 38px; padding: 7px 18px; }
  .btn.fill { width: 100%; }
  .card-body > .btn, .col > .btn, .form > .btn, .inner > .btn { align-self: flex-start; }
  .card-body > .btn.fill, .col > .btn.fill { align-self: stretch; }
  .btn[disabled] { opacity: .5; cursor: not-allowed; }
  .btn.busy { opacity: .6; pointer-events: none; }
  .form { display: flex; flex-direction: column; gap: 12px; }
  .field { display: flex; flex-direction: column; gap: 4px; }
  .field > .lbl { font-size: 13px; color: var(--sub); }
  .field > .lbl .req { color: var(--danger); margin-left: 2px; }
  .field.inline { flex-direction: row; align-items: center; gap: 10px; }
  .field.inline > .lbl { min-width: 84px; }
  .card input[type=text], .card input[type=date], .card input[type=time], .card input[type=datetime-local], .card select, .card textarea {
    border: 1px solid #d0d3d6; border-radius: 6px; padding: 6px 10px; background: #fff; width: 100%; min-height: 32px; }
  .card textarea { resize: vertical; }
  .card select[multiple] { min-height: 64px; }
  .card .invalid { border-color: var(--danger) !important; }
  .card .err { color: var(--danger); font-size: 12px; }
  .tbl-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
  .tbl { border-collapse: collapse; width: 100%; font-size: 13px; }
  .tbl th { background: #f5f6f7; color: var(--sub); font-weight: 500; text-align: left; }
  .tbl th, .tbl td { padding: 7px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
  .tbl tr:last-child td { border-bottom: none; }
  .tbl td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .tbl-foot { font-size: 12px; color: var(--faint); padding: 4px 2px 0; display: flex; justify-content: space-between; align-items: center; }
  .tbl-foot button { border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: 0 8px; cursor: pointer; }
  .chart { width: 100%; }
  .chart svg { width: 100%; height: auto; display: block; }
  .chart .ttl { font-weight: 600; font-size: 13px; margin-bottom: 4px; }
  .unknown { font-size: 12px; color: var(--faint); background: #f5f6f7; border-radius: 6px; padding: 6px 8px; }
  details.panel { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
  details.panel summary { cursor: pointer; font-weight: 500; }
  details.panel .inner { display: flex; flex-direction: column; gap: 10px; padding-top: 8px; }
  .container-click { cursor: pointer; border-radius: 6px; }
  .container-click:hover { background: #f5f6f7; }
  .img-ph { background: #eff0f1; border-radius: 6px; color: var(--faint); font-size: 12px; display: flex; align-items: center; justify-content: center; height: 120px; }
  .card img.img { max-width: 100%; border-radius: 6px; }
  .template { font-size: 13px; color: var(--sub); }
  .template pre { background: #f5f6f7; padding: 6px 8px; border-radius: 6px; white-space: pre-wrap; }

  /* composer */
  .composer { flex: none; border-top: 1px solid var(--line); padding: 10px 20px 14px; background: #fff; }
  .composer .tools { display: flex; gap: 14px; align-items: center; margin-bottom: 6px; color: var(--sub); font-size: 13px; }
  .composer .tools label { display: flex; gap: 4px; align-items: center; cursor: pointer; user-select: none; }
  .composer .row { display: flex; gap: 10px; align-items: flex-end; }
  .composer textarea { flex: 1; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; resize: none; height: 64px; outline: none; }
  .composer textarea:focus { border-color: var(--blue); }
  .composer .send { background: var(--blue); color: #fff; border: none; border-radius: 8px; padding: 0 20px; height: 36px; cursor: pointer; }
  .composer .send:disabled { opacity: .5; cursor: default; }
  .composer .hint { font-size: 12px; color: var(--faint); margin-top: 4px; min-height: 16px; }
  .composer .hint.warn { color: var(--orange); }

  #toast { position: fixed; top: 18px; left: 50%; transform: translateX(-50%); padding: 9px 16px; border-radius: 8px; background: #1f2329;
           color: #fff; font-size: 14px; box-shadow: 0 6px 18px rgba(0,0,0,.15); opacity: 0; pointer-events: none; transition: opacity .2s; z-index: 10; }
  #toast.show { opacity: 1; }
  #toast.success { background: #2ea121; } #toast.error { background: var(--danger); } #toast.warning { background: #de7802; } #toast.info { background: #1f2329; }
</style>
</head>
<body>
<div id="app">
  <aside class="sidebar">
    <div class="brand"><b>飞书模拟器</b><span>招商引资项目推进机器人 · 本地联调</span></div>
    <div class="who">
      <label for="person">我是</label>
      <select id="person" data-testid="person-picker"></select>
    </div>
    <div class="section">会话</div>
    <ul id="chats" data-testid="chat-list"></ul>
    <div class="foot"><span id="stats">Open API 调用 0 次</span><button id="reset" data-testid="reset-button" title="清空全部消息与调用记录">重置</button></div>
  </aside>
  <main class="chat">
    <header class="chat-header">
      <div id="chat-avatar"></div>
      <div><div class="title" id="chat-title" data-testid="chat-title">—</div><div class="sub" id="chat-sub"></div></div>
      <div class="spacer"></div>
      <button id="add-bot" data-testid="add-bot-button" style="display:none">添加机器人到群</button>
    </header>
    <section id="messages" data-testid="message-list"><div class="empty">选择左侧会话开始聊天</div></section>
    <footer class="composer">
      <div class="tools">
        <label id="mention-wrap" style="display:none"><input type="checkbox" id="mention" data-testid="mention-toggle" checked> @机器人</label>
        <label title="发送文件，例如 Excel 台账"><input type="file" id="file" data-testid="file-input" style="display:none"><svg width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"/></svg>发送文件</label>
      </div>
      <div class="row">
        <textarea id="input" data-testid="message-input" placeholder="输入消息，Enter 发送，Shift + Enter 换行。例如：帮助"></textarea>
        <button class="send" id="send" data-testid="send-button">发送</button>
      </div>
      <div class="hint" id="hint" data-testid="composer-hint"></div>
    </footer>
  </main>
</div>
<div id="toast" data-testid="toast"></div>
<script>
(function () {
  'use strict';
  var S = { dir: null, me: null, chatId: null, chatType: null, convs: [], rev: -1, msgRev: {}, rendered: {}, polling: false };
  var $ = function (id) { return document.getElementById(id); };
  var PALETTE = ['#3370ff', '#34c724', '#ff8800', '#7f3bf5', '#f54a45', '#14c0ff', '#ffc60a', '#f14ba9', '#00b8a9', '#8f959e'];
  var AVATAR_COLORS = ['#f5a623', '#4a90e2', '#50b83c', '#9c6ade', '#e86452', '#47c1bf', '#de7802', '#3370ff'];

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'html') el.innerHTML = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else if (k === 'style' && typeof v === 'object') { for (var s in v) el.style[s] = v[s]; }
      else el.setAttribute(k, v === true ? '' : v);
    }
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return el;
  }
  function esc(s) { return String(s === undefined || s === null ? '' : s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  function api(path, body) {
    var init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    return fetch('/emulator/api/' + path, init).then(function (r) { return r.json(); });
  }
  function toast(text, type) {
    var t = $('toast'); t.textContent = text; t.className = 'show ' + (type || 'info');
    clearTimeout(toast.timer); toast.timer = setTimeout(function () { t.className = ''; }, 2600);
  }
  function hash(s) { var x = 0; for (var i = 0; i < s.length; i++) x = (x * 31 + s.charCodeAt(i)) | 0; return Math.abs(x); }
  function avatar(name, kind, id) {
    if (kind === 'bot') return h('div', { class: 'avatar bot', text: '机' });
    if (kind === 'group') return h('div', { class: 'avatar group', text: (name || '群').slice(0, 1) });
    return h('div', { class: 'avatar', style: { background: AVATAR_COLORS[hash(id || name) % AVATAR_COLORS.length] }, text: (name || '?').slice(-2) });
  }
  function fmtTime(ms) {
    var d = new Date(ms); var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
  }
  function nameOf(openId) {
    if (S.dir && openId === S.dir.bot.open_id) return S.dir.bot.name;
    var u = S.dir && S.dir.users.filter(function (x) { return x.open_id === openId; })[0];
    return u ? u.name : openId;
  }

  /* ---------- markdown (Lark's subset) ---------- */
  var BT = '\x60';
  function inline(s) {
    s = esc(s);
    var codes = [];
    s = s.replace(/\x60([^\x60]+)\x60/g, function (_, c) { codes.push(c); return '\u0000' + (codes.length - 1) + '\u0000'; });
    s = s.replace(/&lt;font\s+color=(?:&#39;|&quot;)?([\w-]+)(?:&#39;|&quot;)?&gt;([\s\S]*?)&lt;\/font&gt;/g, function (_, c, t) { return '<span class="c-' + c + '">' + t + '</span>'; });
    s = s.replace(/&lt;text_tag\s+color=(?:&#39;|&quot;)?([\w-]+)(?:&#39;|&quot;)?&gt;([\s\S]*?)&lt;\/text_tag&gt;/g, function (_, c, t) { return '<span class="ttag tg-' + c + '">' + t + '</span>'; });
    s = s.replace(/&lt;at\s+(?:id|user_id|open_id)=(?:&#39;|&quot;)?([\w-]+)(?:&#39;|&quot;)?&gt;\s*&lt;\/at&gt;/g, function (_, id) { return '<span class="at">@' + esc(id === 'all' ? '所有人' : nameOf(id)) + '</span>'; });
    s = s.replace(/&lt;link\s[^&]*?url=(?:&#39;|&quot;)([^&]+?)(?:&#39;|&quot;)[^&]*?&gt;([\s\S]*?)&lt;\/link&gt;/g, function (_, u, t) { return '<a href="' + u + '" target="_blank" rel="noopener">' + t + '</a>'; });
    s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '[图片 $1]');
    s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, function (_, t, u) { return /^(https?:|lark:|mailto:|\/)/.test(u) ? '<a href="' + u + '" target="_blank" rel="noopener">' + t + '</a>' : t; });
    s = s.replace(/\*\*([\s\S]+?)\*\*/g, '<b>$1</b>');
    s = s.replace(/__([\s\S]+?)__/g, '<b>$1</b>');
    s = s.replace(/~~([\s\S]+?)~~/g, '<s>$1</s>');
    s = s.replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\*)/g, '$1<i>$2</i>');
    s = s.replace(/\u0000(\d+)\u0000/g, function (_, i) { return '<code>' + codes[+i] + '</code>'; });
    return s;
  }
  function md(src) {
    var lines = String(src === undefined || src === null ? '' : src).replace(/\r\n?/g, '\n').split('\n');
    var out = [], list = null, para = [], inCode = false, code = [];
    function flushPara() { if (para.length) { out.push('<p>' + para.map(inline).join('<br>') + '</p>'); para = []; } }
    function flushList() { if (list) { out.push('<' + list.type + '>' + list.items.map(function (i) { return '<li>' + inline(i) + '</li>'; }).join('') + '</' + list.type + '>'); list = null; } }
    lines.forEach(function (line) {
      if (line.trim().indexOf(BT + BT + BT) === 0) {
        if (inCode) { out.push('<pre><code>' + esc(code.join('\n')) + '</code></pre>'); code = []; inCode = false; }
        else { flushPara(); flushList(); inCode = true; }
        return;
      }
      if (inCode) { code.push(line); return; }
      var m;
      if (/^\s*$/.test(line)) { flushPara(); flushList(); return; }
      if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) { flushPara(); flushList(); var lv = Math.min(m[1].length, 4); out.push('<h' + lv + '>' + inline(m[2]) + '</h' + lv + '>'); return; }
      if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) { flushPara(); flushList(); out.push('<hr>'); return; }
      if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) { flushPara(); if (!list || list.type !== 'ul') { flushList(); list = { type: 'ul', items: [] }; } list.items.push(m[1]); return; }
      if ((m = /^\s*\d+[.)]\s+(.*)$/.exec(line))) { flushPara(); if (!list || list.type !== 'ol') { flushList(); list = { type: 'ol', items: [] }; } list.items.push(m[1]); return; }
      if ((m = /^>\s?(.*)$/.exec(line))) { flushPara(); flushList(); out.push('<blockquote>' + inline(m[1]) + '</blockquote>'); return; }
      flushList(); para.push(line);
    });
    if (inCode) out.push('<pre><code>' + esc(code.join('\n')) + '</code></pre>');
    flushPara(); flushList();
    return out.join('');
  }
  function textOf(t) {
    if (t === undefined || t === null) return '';
    if (typeof t === 'string') return t;
    if (t.i18n && t.i18n.zh_cn) return t.i18n.zh_cn;
    if (t.i18n_content && t.i18n_content.zh_cn) return t.i18n_content.zh_cn;
    return t.content !== undefined ? String(t.content) : '';
  }
  function richText(t, cls) {
    if (!t) return null;
    var isMd = t.tag === 'lark_md' || t.tag === 'markdown';
    var el = h('div', { class: (cls || '') + (isMd ? ' md' : '') });
    if (isMd) el.innerHTML = md(textOf(t)); else { el.textContent = textOf(t); el.style.whiteSpace = 'pre-wrap'; }
    if (t.text_color) el.classList.add('c-' + t.text_color);
    if (t.text_size === 'notation') el.classList.add('size-notation');
    if (t.text_align) el.style.textAlign = t.text_align;
    return el;
  }

  /* ---------- cards ---------- */
  function callbackOf(comp) {
    var b = comp.behaviors;
    if (Array.isArray(b)) for (var i = 0; i < b.length; i++) if (b[i] && b[i].type === 'callback') return { has: true, value: b[i].value };
    if (comp.value !== undefined) return { has: true, value: comp.value };
    return { has: false };
  }
  function urlOf(comp) {
    var b = comp.behaviors;
    if (Array.isArray(b)) for (var i = 0; i < b.length; i++) if (b[i] && b[i].type === 'open_url') return b[i].default_url || b[i].pc_url || b[i].url;
    return comp.url || (comp.multi_url && (comp.multi_url.pc_url || comp.multi_url.url)) || null;
  }
  function tz(v) { return v ? v + ' +0800' : v; }

  function renderCard(card, msg) {
    var root = h('div', { class: 'card', 'data-testid': 'card', 'data-message-id': msg.message_id });
    if (card && card.type === 'template') {
      var d = card.data || {};
      root.appendChild(h('div', { class: 'card-body template' }, [
        h('div', { text: '模板卡片 ' + (d.template_id || '') + (d.template_version_name ? ' (' + d.template_version_name + ')' : '') }),
        h('pre', { text: JSON.stringify(d.template_variable || {}, null, 2) })
      ]));
      return root;
    }
    var hd = card.header;
    if (hd && (hd.title || hd.subtitle)) {
      var head = h('div', { class: 'card-header hd-' + (hd.template || 'default'), 'data-testid': 'card-title' }, [
        h('div', { class: 't', text: textOf(hd.title) }),
        hd.subtitle ? h('div', { class: 'st', text: textOf(hd.subtitle) }) : null
      ]);
      var tags = hd.text_tag_list || [];
      if (tags.length) head.appendChild(h('div', { class: 'tags' }, tags.map(function (t) { return h('span', { class: 'ttag tg-' + (t.color || 'neutral'), text: textOf(t.text) }); })));
      root.appendChild(head);
    }
    var elements = card.schema === '2.0' ? ((card.body && card.body.elements) || []) : (card.elements || (card.i18n_elements && card.i18n_elements.zh_cn) || []);
    var body = h('div', { class: 'card-body' });
    var ctx = { msg: msg, card: card, form: null };
    elements.forEach(function (e) { var el = renderEl(e, ctx); if (el) body.appendChild(el); });
    root.appendChild(body);
    return root;
  }

  function renderEls(list, ctx, into) { (list || []).forEach(function (e) { var el = renderEl(e, ctx); if (el) into.appendChild(el); }); return into; }

  function renderEl(e, ctx) {
    if (!e || typeof e !== 'object') return null;
    switch (e.tag) {
      case 'markdown': case 'lark_md': {
        var el = h('div', { class: 'md', 'data-testid': 'card-markdown' }); el.innerHTML = md(textOf(e));
        if (e.text_align) el.style.textAlign = e.text_align;
        if (e.text_size === 'notation') el.classList.add('size-notation');
        if (e.text_size === 'heading' || e.text_size === 'heading-1') { el.style.fontSize = '16px'; el.style.fontWeight = '600'; }
        return el;
      }
      case 'plain_text': { var p = h('div', { text: textOf(e) }); p.style.whiteSpace = 'pre-wrap'; return p; }
      case 'div': {
        var wrap = h('div');
        var row = h('div', { style: { display: 'flex', gap: '12px', alignItems: 'center' } });
        var main = h('div', { style: { flex: '1', minWidth: '0' } });
        if (e.text) main.appendChild(richText(e.text));
        if (e.fields && e.fields.length) main.appendChild(h('div', { class: 'fields' }, e.fields.map(function (f) { var x = richText(f.text); if (!f.is_short) x.classList.add('full'); return x; })));
        row.appendChild(main);
        if (e.extra) { var ex = renderEl(e.extra, ctx); if (ex) row.appendChild(ex); }
        wrap.appendChild(row);
        return wrap;
      }
      case 'hr': return h('hr', { class: 'divider' });
      case 'note': {
        var n = h('div', { class: 'note' });
        (e.elements || []).forEach(function (x) { var c = x.tag === 'img' ? null : richText(x); if (c) { c.style.display = 'inline'; n.appendChild(c); n.appendChild(document.createTextNode(' ')); } });
        return n;
      }
      case 'column_set': {
        var cols = h('div', { class: 'cols' + (e.flex_mode && e.flex_mode !== 'none' ? ' wrap' : '') + (e.background_style === 'grey' ? ' bg-grey' : '') });
        if (e.horizontal_spacing) cols.style.gap = /^\d+px$/.test(e.horizontal_spacing) ? e.horizontal_spacing : (e.horizontal_spacing === 'large' ? '16px' : e.horizontal_spacing === 'small' ? '4px' : '8px');
        (e.columns || []).forEach(function (c) { cols.appendChild(renderEl(Object.assign({ tag: 'column' }, c), ctx)); });
        if (e.behaviors || e.action) { var cb = callbackOf(e); if (cb.has) { cols.classList.add('container-click'); cols.addEventListener('click', function () { fire(ctx, { tag: 'column_set', value: cb.value }); }); } }
        return cols;
      }
      case 'column': {
        var col = h('div', { class: 'col' + (e.vertical_align === 'center' ? ' va-center' : e.vertical_align === 'bottom' ? ' va-bottom' : '') + (e.background_style === 'grey' ? ' bg-grey' : '') });
        if (e.width === 'auto') col.style.flex = '0 0 auto';
        else if (e.width && /px$/.test(e.width)) col.style.flex = '0 0 ' + e.width;
        else col.style.flex = String(e.weight || 1) + ' 1 0';
        if (e.padding) col.style.padding = e.padding;
        return renderEls(e.elements, ctx, col);
      }
      case 'table': return renderTable(e);
      case 'form': return renderForm(e, ctx);
      case 'input': return renderInput(e, ctx);
      case 'select_static': case 'multi_select_static': case 'select_person': case 'multi_select_person': return renderSelect(e, ctx);
      case 'date_picker': case 'picker_time': case 'picker_datetime': return renderDate(e, ctx);
      case 'checker': return renderChecker(e, ctx);
      case 'button': return renderButton(e, ctx);
      case 'action': {
        var acts = h('div', { class: 'actions' });
        (e.actions || []).forEach(function (a) { var x = renderEl(a, ctx); if (x) acts.appendChild(x); });
        if (e.layout === 'bisected' || e.layout === 'trisection') Array.prototype.forEach.call(acts.children, function (c) { c.style.flex = '1'; });
        return acts;
      }
      case 'overflow': {
        var sel = h('select', { 'data-testid': 'card-overflow' }, [h('option', { value: '', text: '⋯ 更多' })].concat((e.options || []).map(function (o) { return h('option', { value: o.value, text: textOf(o.text) }); })));
        sel.style.width = 'auto';
        sel.addEventListener('change', function () { if (sel.value) fire(ctx, { tag: 'overflow', option: sel.value, value: callbackOf(e).value }); });
        return sel;
      }
      case 'chart': return renderChart(e);
      case 'img': case 'image': {
        var key = e.img_key || e.image_key;
        if (key && /^img_v3_/.test(key)) return h('img', { class: 'img', src: '/emulator/api/files/' + encodeURIComponent(key), alt: textOf(e.alt) });
        return h('div', { class: 'img-ph', text: '图片 ' + (textOf(e.alt) || key || '') });
      }
      case 'collapsible_panel': {
        var det = h('details', { class: 'panel' }); if (e.expanded) det.open = true;
        var title = e.header && e.header.title ? textOf(e.header.title) : '展开';
        var sum = h('summary'); sum.innerHTML = inline(title); det.appendChild(sum);
        det.appendChild(renderEls(e.elements, ctx, h('div', { class: 'inner' })));
        return det;
      }
      case 'interactive_container': {
        var ic = renderEls(e.elements, ctx, h('div', { class: 'col container-click', style: { padding: '8px', border: '1px solid #e4e5e7' } }));
        var icb = callbackOf(e), iurl = urlOf(e);
        ic.addEventListener('click', function () { if (iurl) window.open(iurl, '_blank'); else if (icb.has) fire(ctx, { tag: 'interactive_container', value: icb.value }); });
        return ic;
      }
      case 'person': return h('span', { class: 'at', text: '@' + nameOf(e.user_id) });
      case 'person_list': return h('div', {}, (e.persons || []).map(function (p) { return h('span', { class: 'at', text: '@' + nameOf(p.id) + ' ' }); }));
      case 'text_tag': return h('span', { class: 'ttag tg-' + (e.color || 'neutral'), text: textOf(e.text) });
      default: return h('div', { class: 'unknown', text: '[模拟器未渲染的组件: ' + e.tag + ']' });
    }
  }

  function fmtNum(v, f) {
    if (typeof v !== 'number') return v === undefined || v === null ? '' : String(v);
    var s = f && f.precision !== undefined ? v.toFixed(f.precision) : String(v);
    if (!f || f.separator !== false) { var parts = s.split('.'); parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ','); s = parts.join('.'); }
    return (f && f.symbol ? f.symbol : '') + s;
  }
  function renderTable(e) {
    var columns = e.columns || [], rows = e.rows || [], size = e.page_size || 5, page = 0;
    var box = h('div'), wrap = h('div', { class: 'tbl-wrap' }), foot = h('div', { class: 'tbl-foot' });
    box.appendChild(wrap); box.appendChild(foot);
    function cell(col, v) {
      var td = h('td');
      switch (col.data_type) {
        case 'number': td.className = 'num'; td.textContent = fmtNum(v, col.format); break;
        case 'lark_md': case 'markdown': td.className = 'md'; td.innerHTML = inline(v === undefined ? '' : String(v)); break;
        case 'options': (Array.isArray(v) ? v : v ? [v] : []).forEach(function (o) { td.appendChild(h('span', { class: 'ttag tg-' + ((o && o.color) || 'neutral'), text: o && o.text !== undefined ? o.text : String(o) })); td.appendChild(document.createTextNode(' ')); }); break;
        case 'persons': td.textContent = (Array.isArray(v) ? v : v ? [v] : []).map(function (p) { return '@' + nameOf(p); }).join(' '); break;
        case 'date': td.textContent = typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : String(v === undefined ? '' : v); break;
        default: td.textContent = v === undefined || v === null ? '' : String(v);
      }
      if (col.horizontal_align) td.style.textAlign = col.horizontal_align;
      return td;
    }
    function draw() {
      wrap.innerHTML = '';
      var t = h('table', { class: 'tbl', 'data-testid': 'card-table' });
      if (e.header_style === undefined || e.header_style.visible !== false) t.appendChild(h('thead', {}, [h('tr', {}, columns.map(function (c) { return h('th', { text: c.display_name || c.name, style: c.width && c.width !== 'auto' ? { width: c.width } : undefined }); }))]));
      var tb = h('tbody');
      rows.slice(page * size, page * size + size).forEach(function (r) { tb.appendChild(h('tr', {}, columns.map(function (c) { return cell(c, r[c.name]); }))); });
      t.appendChild(tb); wrap.appendChild(t);
      foot.innerHTML = '';
      var pages = Math.max(1, Math.ceil(rows.length / size));
      foot.appendChild(h('span', { text: '共 ' + rows.length + ' 行' }));
      if (pages > 1) foot.appendChild(h('span', {}, [
        h('button', { text: '‹', onclick: function () { if (page > 0) { page--; draw(); } } }), ' ' + (page + 1) + ' / ' + pages + ' ',
        h('button', { text: '›', onclick: function () { if (page < pages - 1) { page++; draw(); } } })
      ]));
    }
    draw();
    return box;
  }

  function labelFor(e, control) {
    var lbl = e.label ? textOf(e.label) : '';
    if (!lbl) return control;
    var f = h('div', { class: 'field' + (e.label_position === 'left' ? ' inline' : '') }, [h('div', { class: 'lbl' }, [lbl, e.required ? h('span', { class: 'req', text: '*' }) : null]), control]);
    return f;
  }
  function register(ctx, e, read, reset, el) {
    if (ctx.form && e.name) ctx.form.fields.push({ name: e.name, read: read, reset: reset, required: !!e.required, el: el, label: textOf(e.label) || textOf(e.placeholder) || e.name });
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
    register(ctx, e, function () { return ctl.value; }, function () { ctl.value = e.default_value || ''; }, ctl);
    if (!ctx.form) ctl.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' && !multi) { ev.preventDefault(); fire(ctx, { tag: 'input', name: e.name, input_value: ctl.value, value: callbackOf(e).value }); } });
    return labelFor(e, ctl);
  }
  function renderSelect(e, ctx) {
    var multi = e.tag.indexOf('multi_') === 0;
    var sel = h('select', { 'data-testid': 'card-select-' + (e.name || '') });
    if (multi) sel.multiple = true;
    if (e.name) sel.name = e.name;
    if (!multi) sel.appendChild(h('option', { value: '', text: textOf(e.placeholder) || '请选择' }));
    var opts = e.options || [];
    if (e.tag.indexOf('person') >= 0 && !opts.length && S.dir) opts = S.dir.users.map(function (u) { return { text: { content: u.name }, value: u.open_id }; });
    opts.forEach(function (o) { sel.appendChild(h('option', { value: o.value, text: textOf(o.text) || o.value })); });
    if (e.initial_option) sel.value = e.initial_option;
    if (e.initial_index) sel.selectedIndex = e.initial_index;
    if (multi && Array.isArray(e.selected_values)) Array.prototype.forEach.call(sel.options, function (o) { o.selected = e.selected_values.indexOf(o.value) >= 0; });
    if (e.disabled) sel.disabled = true;
    var read = function () { return multi ? Array.prototype.filter.call(sel.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) : sel.value; };
    register(ctx, e, read, function () { sel.value = e.initial_option || ''; }, sel);
    if (!ctx.form) sel.addEventListener('change', function () {
      var a = { tag: e.tag, name: e.name, value: callbackOf(e).value };
      if (multi) a.options = read(); else a.option = sel.value;
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
    var read = function () { return ctl.value ? tz(type === 'datetime-local' ? ctl.value.replace('T', ' ') : ctl.value) : ''; };
    register(ctx, e, read, function () { ctl.value = init || ''; }, ctl);
    if (!ctx.form) ctl.addEventListener('change', function () { fire(ctx, { tag: e.tag, name: e.name, option: read(), timezone: 'Asia/Shanghai', value: callbackOf(e).value }); });
    return labelFor(e, ctl);
  }
  function renderChecker(e, ctx) {
    var box = h('input', { type: 'checkbox' }); box.checked = !!e.checked;
    var lab = h('label', { style: { display: 'flex', gap: '6px', alignItems: 'center' } }, [box, richText(e.text) || '']);
    register(ctx, e, function () { return box.checked; }, function () { box.checked = !!e.checked; }, box);
    if (!ctx.form) box.addEventListener('change', function () { fire(ctx, { tag: 'checker', name: e.name, checked: box.checked, value: callbackOf(e).value }); });
    return lab;
  }
  function renderButton(e, ctx) {
    var text = textOf(e.text) || '按钮';
    var b = h('button', { type: 'button', class: 'btn ' + (e.type || 'default') + (e.size ? ' ' + e.size : '') + (e.width === 'fill' ? ' fill' : ''), 'data-testid': 'card-button-' + text, 'data-button-name': e.name, text: text });
    if (e.disabled) b.disabled = true;
    var formCtx = ctx.form;
    b.addEventListener('click', function () {
      if (e.confirm && !window.confirm(textOf(e.confirm.title) + '\n' + textOf(e.confirm.text))) return;
      if (formCtx && e.form_action_type === 'reset') { formCtx.fields.forEach(function (f) { f.reset(); }); return; }
      if (formCtx && e.form_action_type === 'submit') { submitForm(formCtx, e, ctx, b); return; }
      var url = urlOf(e);
      if (url) { window.open(url, '_blank'); return; }
      var cb = callbackOf(e);
      if (!cb.has) { toast('这个按钮没有回传交互（behaviors 里没有 callback，也没有 value）', 'warning'); return; }
      var a = { tag: 'button', value: cb.value }; if (e.name) a.name = e.name;
      fire(ctx, a, b);
    });
    return b;
  }
  function renderForm(e, ctx) {
    var f = h('form', { class: 'form', 'data-testid': 'card-form-' + (e.name || ''), onsubmit: function (ev) { ev.preventDefault(); } });
    var fctx = { msg: ctx.msg, card: ctx.card, form: { name: e.name, fields: [], el: f } };
    renderEls(e.elements, fctx, f);
    return f;
  }
  function submitForm(form, btn, ctx, el) {
    var missing = [], value = {};
    Array.prototype.forEach.call(form.el.querySelectorAll('.err'), function (x) { x.remove(); });
    form.fields.forEach(function (f) {
      var v = f.read(); f.el.classList.remove('invalid');
      var empty = v === '' || v === null || v === undefined || (Array.isArray(v) && !v.length) || v === false && f.required;
      if (f.required && empty) { missing.push(f.label); f.el.classList.add('invalid'); }
      if (!(v === '' || (Array.isArray(v) && !v.length))) value[f.name] = v;
    });
    if (missing.length) { form.el.appendChild(h('div', { class: 'err', text: '请填写必填项：' + missing.join('、') })); return; }
    var a = { tag: 'button', form_value: value };
    if (btn.name) a.name = btn.name;
    var cb = callbackOf(btn); if (cb.has) a.value = cb.value;
    fire(ctx, a, el);
  }

  function fire(ctx, action, el) {
    if (el) el.classList.add('busy');
    api('click', { messageId: ctx.msg.message_id, operator: S.me, action: action }).then(function (r) {
      if (el) el.classList.remove('busy');
      if (r.error && r.status === undefined) { toast(r.error, 'error'); return; }
      if (r.toast && (r.toast.content || (r.toast.i18n && r.toast.i18n.zh_cn))) toast(r.toast.content || r.toast.i18n.zh_cn, r.toast.type || 'info');
      else if (r.error) toast('操作失败：' + r.error, 'error');
      refresh(true);
    }, function (err) { if (el) el.classList.remove('busy'); toast('请求失败：' + err, 'error'); });
  }

  /* ---------- charts (VChart spec → SVG) ---------- */
  function chartData(spec) {
    var d = spec.data; var vals = [];
    if (Array.isArray(d)) d.forEach(function (x) { vals = vals.concat((x && x.values) || []); });
    else if (d && Array.isArray(d.values)) vals = d.values;
    return vals;
  }
  function first(f) { return Array.isArray(f) ? f[0] : f; }
  function svgEl(tag, attrs, text) {
    var el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    if (text !== undefined) el.textContent = text;
    return el;
  }
  function niceMax(v) { if (v <= 0) return 1; var p = Math.pow(10, Math.floor(Math.log10(v))); var n = v / p; return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p; }
  function shortNum(v) { return Math.abs(v) >= 10000 ? (v / 10000).toFixed(Math.abs(v) >= 100000 ? 0 : 1) + '万' : String(Math.round(v * 100) / 100); }
  function renderChart(e) {
    var spec = e.chart_spec || {};
    if (spec.type === 'common' && Array.isArray(spec.series) && spec.series.length) {
      var s0 = spec.series[0];
      spec = Object.assign({}, spec, s0, { data: s0.data || spec.data, type: s0.type });
      if (s0.dataId !== undefined && Array.isArray(e.chart_spec.data)) spec.data = e.chart_spec.data.filter(function (x) { return x.id === s0.dataId; });
    }
    var box = h('div', { class: 'chart', 'data-testid': 'card-chart' });
    var title = spec.title && (spec.title.text || spec.title.content);
    if (title) box.appendChild(h('div', { class: 'ttl', text: Array.isArray(title) ? title.join(' ') : title }));
    var vals = chartData(spec), type = spec.type || 'bar';
    var W = 520, H = 240, svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    box.appendChild(svg);
    if (!vals.length) { svg.appendChild(svgEl('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', fill: '#8f959e', 'font-size': 13 }, '无数据')); return box; }
    if (type === 'pie' || type === 'rose') {
      var cat = spec.categoryField || first(spec.xField) || 'type', val = spec.valueField || first(spec.yField) || 'value';
      var total = vals.reduce(function (s, v) { return s + (+v[val] || 0); }, 0) || 1, a0 = -Math.PI / 2, cx = 130, cy = H / 2, r = 90;
      var inner = spec.innerRadius ? r * spec.innerRadius : 0;
      vals.forEach(function (v, i) {
        var frac = (+v[val] || 0) / total, a1 = a0 + frac * Math.PI * 2, large = frac > 0.5 ? 1 : 0;
        var p = frac >= 0.9999 ? 'M' + cx + ' ' + (cy - r) + ' A' + r + ' ' + r + ' 0 1 1 ' + (cx - 0.01) + ' ' + (cy - r) + ' Z'
          : 'M' + cx + ' ' + cy + ' L' + (cx + r * Math.cos(a0)) + ' ' + (cy + r * Math.sin(a0)) + ' A' + r + ' ' + r + ' 0 ' + large + ' 1 ' + (cx + r * Math.cos(a1)) + ' ' + (cy + r * Math.sin(a1)) + ' Z';
        svg.appendChild(svgEl('path', { d: p, fill: PALETTE[i % PALETTE.length], stroke: '#fff', 'stroke-width': 1.5 }));
        var ly = 30 + i * 22;
        if (ly < H - 10) {
          svg.appendChild(svgEl('rect', { x: 270, y: ly - 10, width: 12, height: 12, rx: 2, fill: PALETTE[i % PALETTE.length] }));
          svg.appendChild(svgEl('text', { x: 290, y: ly, 'font-size': 13, fill: '#1f2329' }, String(v[cat]) + '  ' + shortNum(+v[val] || 0) + '（' + Math.round(frac * 100) + '%）'));
        }
        a0 = a1;
      });
      if (inner) svg.appendChild(svgEl('circle', { cx: cx, cy: cy, r: inner, fill: '#fff' }));
      return box;
    }
    var horizontal = spec.direction === 'horizontal';
    var xf = first(horizontal ? spec.yField : spec.xField) || 'x', yf = first(horizontal ? spec.xField : spec.yField) || 'y', sf = spec.seriesField;
    var cats = [], series = [];
    vals.forEach(function (v) { var c = String(v[xf]); if (cats.indexOf(c) < 0) cats.push(c); var s = sf ? String(v[sf]) : ''; if (series.indexOf(s) < 0) series.push(s); });
    var get = function (c, s) { var hit = vals.filter(function (v) { return String(v[xf]) === c && (!sf || String(v[sf]) === s); })[0]; return hit ? +hit[yf] || 0 : 0; };
    var stacked = !!spec.stack && type === 'bar';
    var maxV = 0;
    cats.forEach(function (c) { if (stacked) maxV = Math.max(maxV, series.reduce(function (t, s) { return t + get(c, s); }, 0)); else series.forEach(function (s) { maxV = Math.max(maxV, get(c, s)); }); });
    maxV = niceMax(maxV);
    var left = 52, right = 12, top = sf ? 30 : 14, bottom = 34, pw = W - left - right, ph = H - top - bottom;
    for (var g = 0; g <= 4; g++) {
      var gy = top + ph - (ph * g) / 4;
      svg.appendChild(svgEl('line', { x1: left, x2: W - right, y1: gy, y2: gy, stroke: g === 0 ? '#bbbfc4' : '#eff0f1' }));
      svg.appendChild(svgEl('text', { x: left - 6, y: gy + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#8f959e' }, shortNum((maxV * g) / 4)));
    }
    var band = pw / cats.length;
    cats.forEach(function (c, i) {
      var label = c.length > 8 ? c.slice(0, 7) + '…' : c;
      svg.appendChild(svgEl('text', { x: left + band * i + band / 2, y: H - bottom + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#646a73' }, label));
    });
    if (sf) series.forEach(function (s, i) {
      svg.appendChild(svgEl('rect', { x: left + i * 96, y: 8, width: 10, height: 10, rx: 2, fill: PALETTE[i % PALETTE.length] }));
      svg.appendChild(svgEl('text', { x: left + i * 96 + 14, y: 17, 'font-size': 11, fill: '#646a73' }, s));
    });
    var yOf = function (v) { return top + ph - (v / maxV) * ph; };
    if (type === 'bar' || type === 'histogram') {
      var groups = stacked ? 1 : series.length, bw = Math.min(36, (band * 0.7) / groups);
      cats.forEach(function (c, i) {
        var acc = 0;
        series.forEach(function (s, j) {
          var v = get(c, s), x = left + band * i + band / 2 - (bw * groups) / 2 + (stacked ? 0 : j * bw);
          var y0 = yOf(acc), y1 = yOf(acc + v);
          svg.appendChild(svgEl('rect', { x: x + 1, y: y1, width: Math.max(1, bw - 2), height: Math.max(0, y0 - y1), rx: 2, fill: PALETTE[j % PALETTE.length] }));
          if (!stacked && cats.length * groups <= 16 && v) svg.appendChild(svgEl('text', { x: x + bw / 2, y: y1 - 4, 'text-anchor': 'middle', 'font-size': 10, fill: '#646a73' }, shortNum(v)));
          if (stacked) acc += v;
        });
      });
    } else {
      series.forEach(function (s, j) {
        var pts = cats.map(function (c, i) { return [left + band * i + band / 2, yOf(get(c, s))]; });
        var color = PALETTE[j % PALETTE.length];
        if (type === 'area') svg.appendChild(svgEl('polygon', { points: pts.map(function (p) { return p.join(','); }).join(' ') + ' ' + pts[pts.length - 1][0] + ',' + (top + ph) + ' ' + pts[0][0] + ',' + (top + ph), fill: color, 'fill-opacity': 0.15 }));
        svg.appendChild(svgEl('polyline', { points: pts.map(function (p) { return p.join(','); }).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }));
        pts.forEach(function (p) { svg.appendChild(svgEl('circle', { cx: p[0], cy: p[1], r: 3, fill: '#fff', stroke: color, 'stroke-width': 2 })); });
      });
    }
    return box;
  }

  /* ---------- messages ---------- */
  function renderPost(c) {
    var p = c.zh_cn || c.en_us || (c.post && (c.post.zh_cn || c.post.en_us)) || c;
    var el = h('div', { class: 'bubble md' });
    if (p.title) el.appendChild(h('div', { style: { fontWeight: '600', marginBottom: '4px' }, text: p.title }));
    (p.content || []).forEach(function (para) {
      var line = h('div');
      (para || []).forEach(function (n) {
        if (n.tag === 'text') line.appendChild(h('span', { text: n.text, style: n.style && n.style.indexOf('bold') >= 0 ? { fontWeight: '600' } : undefined }));
        else if (n.tag === 'a') line.appendChild(h('a', { href: n.href, target: '_blank', text: n.text }));
        else if (n.tag === 'at') line.appendChild(h('span', { class: 'at', text: '@' + (n.user_name || nameOf(n.user_id)) }));
        else if (n.tag === 'md') { var s = h('span'); s.innerHTML = md(n.text); line.appendChild(s); }
        else if (n.tag === 'hr') line.appendChild(h('hr'));
        else if (n.tag === 'code_block') line.appendChild(h('pre', { text: n.text }));
        else if (n.text) line.appendChild(document.createTextNode(n.text));
      });
      el.appendChild(line);
    });
    return el;
  }
  function renderText(text) {
    var el = h('div', { class: 'bubble', 'data-testid': 'text-bubble' });
    var html = esc(text).replace(/@([^\s@]+)/g, '<span class="at">@$1</span>');
    el.innerHTML = html;
    return el;
  }
  function renderContent(m) {
    if (m.deleted) return h('div', { class: 'bubble deleted', text: '此消息已撤回' });
    var c = m.content || {};
    switch (m.msg_type) {
      case 'text': return renderText(c.text || '');
      case 'post': return renderPost(c);
      case 'interactive':
        try { return renderCard(c, m); } catch (err) { return h('div', { class: 'unknown', text: '卡片渲染失败：' + err }); }
      case 'file': {
        var name = c.file_name || c.file_key; var ext = (String(name).split('.').pop() || 'FILE').slice(0, 4).toUpperCase();
        return h('div', { class: 'file-chip', 'data-testid': 'file-message' }, [h('div', { class: 'icon', text: ext }),
          h('div', {}, [h('a', { href: '/emulator/api/files/' + encodeURIComponent(c.file_key), text: name }), h('div', { class: 'note', text: '点击下载' })])]);
      }
      case 'image': return h('img', { class: 'img', style: { maxWidth: '320px', borderRadius: '8px' }, src: '/emulator/api/files/' + encodeURIComponent(c.image_key) });
      default: return h('div', { class: 'bubble', text: '[' + m.msg_type + '] ' + JSON.stringify(c) });
    }
  }
  function renderMessage(m) {
    var mine = m.sender.type === 'user' && m.sender.id === S.me;
    var isBot = m.sender.type === 'app';
    var row = h('div', { class: 'msg' + (mine ? ' mine' : ''), id: 'm-' + m.message_id, 'data-testid': isBot ? 'bot-message' : 'user-message', 'data-message-id': m.message_id });
    row.appendChild(avatar(m.sender.name, isBot ? 'bot' : 'user', m.sender.id));
    var body = h('div', { class: 'body' });
    body.appendChild(h('div', { class: 'who-line' }, [mine ? '' : m.sender.name + '  ', fmtTime(m.created_at), isBot ? h('span', { class: 'tag', text: '机器人' }) : null]));
    body.appendChild(renderContent(m));
    if (m.update_count > 0) body.appendChild(h('div', { class: 'updated', 'data-testid': 'updated-label', text: '已更新 ' + m.update_count + ' 次 · ' + fmtTime(m.updated_at) }));
    row.appendChild(body);
    return row;
  }

  /* ---------- state & polling ---------- */
  function currentConv() { return S.convs.filter(function (c) { return c.chat_id === S.chatId; })[0]; }
  function renderChats() {
    var ul = $('chats'); ul.innerHTML = '';
    S.convs.forEach(function (c) {
      var li = h('li', { class: 'chat-item' + (c.chat_id === S.chatId ? ' active' : ''), 'data-testid': 'chat-item', 'data-chat-id': c.chat_id, 'data-chat-name': c.name, onclick: function () { openChat(c.chat_id); } }, [
        avatar(c.name, c.chat_type === 'p2p' ? 'bot' : 'group'),
        h('div', { class: 'meta' }, [h('div', { class: 'name', text: c.name }), h('div', { class: 'preview', text: c.last ? c.last.preview : (c.chat_type === 'p2p' ? '和机器人单聊' : (c.botIn ? '群聊' : '机器人不在群内')) })]),
        c.chat_type === 'group' ? h('span', { class: 'badge', text: c.members + '人' }) : null
      ]);
      ul.appendChild(li);
    });
  }
  function renderHeader() {
    var c = currentConv();
    $('chat-avatar').innerHTML = '';
    if (!c) { $('chat-title').textContent = '—'; $('chat-sub').textContent = ''; $('add-bot').style.display = 'none'; return; }
    $('chat-avatar').appendChild(avatar(c.name, c.chat_type === 'p2p' ? 'bot' : 'group'));
    $('chat-title').textContent = c.name;
    $('chat-sub').textContent = c.chat_type === 'p2p' ? '单聊 · 机器人' : '群聊 · ' + c.members + ' 人' + (c.botIn ? '' : ' · 机器人未入群');
    $('add-bot').style.display = c.chat_type === 'group' && !c.botIn ? '' : 'none';
    $('mention-wrap').style.display = c.chat_type === 'group' ? '' : 'none';
  }
  function renderMessages(data) {
    var box = $('messages');
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    var items = data.items || [];
    if (!items.length && !(data.notices || []).length) { box.innerHTML = ''; box.appendChild(h('div', { class: 'empty', text: S.chatType === 'p2p' ? '还没有消息。试试发送「帮助」。' : '还没有消息。@机器人 并发送指令试试。' })); S.rendered = {}; return; }
    var empty = box.querySelector('.empty'); if (empty) empty.remove();
    var entries = items.map(function (m) { return { at: m.created_at, m: m }; }).concat((data.notices || []).map(function (n) { return { at: n.at, n: n }; }));
    entries.sort(function (a, b) { return a.at - b.at; });
    var keep = {};
    var prev = null;
    entries.forEach(function (en) {
      var key = en.m ? en.m.message_id : 'n-' + en.n.at + '-' + en.n.text;
      var version = en.m ? en.m.update_count + ':' + en.m.deleted + ':' + S.me : 'n';
      keep[key] = true;
      var existing = S.rendered[key];
      var node;
      if (existing && existing.version === version) node = existing.node;
      else {
        node = en.m ? renderMessage(en.m) : h('div', { class: 'notice', text: en.n.text });
        if (existing) existing.node.replaceWith(node);
        S.rendered[key] = { node: node, version: version };
      }
      if (prev ? prev.nextSibling !== node : box.firstChild !== node) { if (prev) prev.after(node); else box.prepend(node); }
      prev = node;
    });
    Object.keys(S.rendered).forEach(function (k) { if (!keep[k]) { S.rendered[k].node.remove(); delete S.rendered[k]; } });
    if (atBottom || S.scrollNext) { box.scrollTop = box.scrollHeight; S.scrollNext = false; }
  }
  function loadConvs() {
    return api('conversations?openId=' + encodeURIComponent(S.me)).then(function (r) { S.convs = r.items || []; renderChats(); renderHeader(); });
  }
  function loadMessages() {
    if (!S.chatId) return Promise.resolve();
    var chatId = S.chatId;
    return api('messages?chatId=' + encodeURIComponent(chatId)).then(function (r) { if (chatId === S.chatId) renderMessages(r); });
  }
  function refresh(force) {
    return api('rev').then(function (r) {
      if (!force && r.rev === S.rev) return;
      S.rev = r.rev;
      return Promise.all([loadConvs(), loadMessages()]);
    }).then(function () { return api('debug'); }).then(function (d) { $('stats').textContent = 'Open API 调用 ' + d.calls.length + ' 次' + (d.warnings.length ? ' · ⚠ ' + d.warnings.length : ''); $('stats').title = d.warnings.slice(-5).join('\n'); }).catch(function () {});
  }
  function openChat(chatId) {
    S.chatId = chatId;
    var c = currentConv(); S.chatType = c ? c.chat_type : null;
    $('messages').innerHTML = ''; S.rendered = {}; S.scrollNext = true;
    localStorage.setItem('emu.chat.' + S.me, chatId);
    renderChats(); renderHeader(); loadMessages(); $('input').focus();
  }
  function pickPerson(openId) {
    S.me = openId; localStorage.setItem('emu.me', openId);
    loadConvs().then(function () {
      var saved = localStorage.getItem('emu.chat.' + openId);
      var target = S.convs.filter(function (c) { return c.chat_id === saved; })[0] || S.convs[0];
      if (target) openChat(target.chat_id);
    });
  }
  function hint(text, warn) { var el = $('hint'); el.textContent = text || ''; el.className = 'hint' + (warn ? ' warn' : ''); }
  function send() {
    var text = $('input').value.trim();
    if (!text || !S.chatId) return;
    var c = currentConv();
    var body = { from: S.me, text: text };
    if (c && c.chat_type === 'group') { body.chatId = c.chat_id; body.mentionBot = $('mention').checked; }
    $('send').disabled = true; hint('发送中…');
    api('send', body).then(function (r) {
      $('send').disabled = false;
      if (r.error) { hint(r.error, true); return; }
      $('input').value = '';
      if (!r.delivered) hint('消息已发出，但机器人收不到：' + (c && !c.botIn ? '机器人不在这个群里' : '群聊中需要 @机器人'), true);
      else if (r.status !== 200) hint('机器人的事件地址回应了 HTTP ' + r.status + '（飞书会重试投递）', true);
      else hint('');
      S.scrollNext = true; refresh(true);
    }, function (e) { $('send').disabled = false; hint('发送失败：' + e, true); });
  }
  function sendFile(file) {
    if (!file || !S.chatId) return;
    var c = currentConv(); var fd = new FormData();
    fd.append('from', S.me); fd.append('file', file);
    if (c && c.chat_type === 'group') fd.append('chatId', c.chat_id);
    hint('上传中…');
    fetch('/emulator/api/send-file', { method: 'POST', body: fd }).then(function (r) { return r.json(); }).then(function (r) {
      if (r.error) hint(r.error, true); else hint(r.delivered ? '' : '文件已发出，但机器人收不到（群聊中文件不会 @机器人）', !r.delivered);
      S.scrollNext = true; refresh(true);
    });
  }

  $('send').addEventListener('click', send);
  $('input').addEventListener('keydown', function (e) { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); } });
  $('file').addEventListener('change', function () { sendFile(this.files[0]); this.value = ''; });
  $('person').addEventListener('change', function () { pickPerson(this.value); });
  $('add-bot').addEventListener('click', function () {
    api('add-bot', { chatId: S.chatId, operator: S.me }).then(function (r) { if (r.error) toast(r.error, 'error'); else toast('已添加机器人到群', 'success'); refresh(true); });
  });
  $('reset').addEventListener('click', function () { if (window.confirm('清空模拟器里的全部消息、文件和调用记录？')) api('reset', {}).then(function () { S.rendered = {}; $('messages').innerHTML = ''; refresh(true); }); });

  api('directory').then(function (d) {
    S.dir = d;
    var sel = $('person');
    d.users.forEach(function (u) { sel.appendChild(h('option', { value: u.open_id, text: u.name })); });
    if (!d.users.length) { hint('目录里没有人员：请在启动模拟器时提供 directory', true); return; }
    var saved = localStorage.getItem('emu.me');
    var me = d.users.filter(function (u) { return u.open_id === saved; })[0] || d.users[0];
    sel.value = me.open_id; pickPerson(me.open_id);
  });
  setInterval(function () { if (!S.polling) { S.polling = true; refresh(false).then(function () { S.polling = false; }, function () { S.polling = false; }); } }, 1000);
})();
</script>
</body>
</html>
`;
