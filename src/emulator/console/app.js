// The console page: pick a person, open a chat, send text or a file, poll for what changed.
import { $, S, api, avatar, h, hooks, toast } from './base.js';
import { renderMessage } from './messages.js';

/* ---------- state & polling ---------- */
function currentConv() {
  return S.convs.filter(function (c) {
    return c.chat_id === S.chatId;
  })[0];
}
function renderChats() {
  var ul = $('chats');
  ul.innerHTML = '';
  S.convs.forEach(function (c) {
    var li = h(
      'li',
      {
        class: 'chat-item' + (c.chat_id === S.chatId ? ' active' : ''),
        'data-testid': 'chat-item',
        'data-chat-id': c.chat_id,
        'data-chat-name': c.name,
        onclick: function () {
          openChat(c.chat_id);
        },
      },
      [
        avatar(c.name, c.chat_type === 'p2p' ? 'bot' : 'group'),
        h('div', { class: 'meta' }, [
          h('div', { class: 'name', text: c.name }),
          h('div', {
            class: 'preview',
            text: c.last ? c.last.preview : c.chat_type === 'p2p' ? '和机器人单聊' : c.botIn ? '群聊' : '机器人不在群内',
          }),
        ]),
        c.chat_type === 'group' ? h('span', { class: 'badge', text: c.members + '人' }) : null,
      ],
    );
    ul.appendChild(li);
  });
}
function renderHeader() {
  var c = currentConv();
  $('chat-avatar').innerHTML = '';
  if (!c) {
    $('chat-title').textContent = '—';
    $('chat-sub').textContent = '';
    $('add-bot').style.display = 'none';
    return;
  }
  $('chat-avatar').appendChild(avatar(c.name, c.chat_type === 'p2p' ? 'bot' : 'group'));
  $('chat-title').textContent = c.name;
  $('chat-sub').textContent = c.chat_type === 'p2p' ? '单聊 · 机器人' : '群聊 · ' + c.members + ' 人' + (c.botIn ? '' : ' · 机器人未入群');
  $('add-bot').style.display = c.chat_type === 'group' && !c.botIn ? '' : 'none';
  $('mention-wrap').style.display = c.chat_type === 'group' ? '' : 'none';
  renderMenu(c);
}
/** Lark shows the bot's custom menu in the p2p chat with the bot; each item sends application.bot.menu_v6. */
function renderMenu(c) {
  var bar = $('bot-menu');
  var items = (S.dir && S.dir.menu) || [];
  bar.innerHTML = '';
  bar.style.display = c && c.chat_type === 'p2p' && items.length ? '' : 'none';
  items.forEach(function (m) {
    bar.appendChild(
      h('button', {
        type: 'button',
        'data-testid': 'menu-' + m.name,
        text: m.name,
        onclick: function () {
          pressMenu(m);
        },
      }),
    );
  });
}
function pressMenu(m) {
  hint('发送菜单事件…');
  api('menu', { from: S.me, eventKey: m.eventKey }).then(function (r) {
    if (r.error) hint(r.error, true);
    else if (r.status !== 200) hint('机器人没有确认收到菜单事件（' + r.status + '）', true);
    else hint('');
    S.scrollNext = true;
    refresh(true);
  });
}
function renderMessages(data) {
  var box = $('messages');
  var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  var items = data.items || [];
  if (!items.length && !(data.notices || []).length) {
    box.innerHTML = '';
    box.appendChild(
      h('div', { class: 'empty', text: S.chatType === 'p2p' ? '还没有消息。试试发送「帮助」。' : '还没有消息。@机器人 并发送指令试试。' }),
    );
    S.rendered = {};
    return;
  }
  var empty = box.querySelector('.empty');
  if (empty) empty.remove();
  var entries = items
    .map(function (m) {
      return { at: m.created_at, m: m };
    })
    .concat(
      (data.notices || []).map(function (n) {
        return { at: n.at, n: n };
      }),
    );
  entries.sort(function (a, b) {
    return a.at - b.at;
  });
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
    if (prev ? prev.nextSibling !== node : box.firstChild !== node) {
      if (prev) prev.after(node);
      else box.prepend(node);
    }
    prev = node;
  });
  Object.keys(S.rendered).forEach(function (k) {
    if (!keep[k]) {
      S.rendered[k].node.remove();
      delete S.rendered[k];
    }
  });
  if (atBottom || S.scrollNext) {
    box.scrollTop = box.scrollHeight;
    S.scrollNext = false;
  }
}
function loadConvs() {
  return api('conversations?openId=' + encodeURIComponent(S.me)).then(function (r) {
    S.convs = r.items || [];
    renderChats();
    renderHeader();
  });
}
function loadMessages() {
  if (!S.chatId) return Promise.resolve();
  var chatId = S.chatId;
  return api('messages?chatId=' + encodeURIComponent(chatId)).then(function (r) {
    if (chatId === S.chatId) renderMessages(r);
  });
}
function refresh(force) {
  return api('rev')
    .then(function (r) {
      if (!force && r.rev === S.rev) return;
      S.rev = r.rev;
      return Promise.all([loadConvs(), loadMessages()]);
    })
    .then(function () {
      return api('debug');
    })
    .then(function (d) {
      var via = S.dir && S.dir.delivery === 'ws' ? '长连接 · ' : 'Webhook · ';
      $('stats').textContent = via + 'Open API 调用 ' + d.calls.length + ' 次' + (d.warnings.length ? ' · ⚠ ' + d.warnings.length : '');
      $('stats').title = d.warnings.slice(-5).join('\n');
    })
    .catch(function () {});
}
function openChat(chatId) {
  S.chatId = chatId;
  var c = currentConv();
  S.chatType = c ? c.chat_type : null;
  $('messages').innerHTML = '';
  S.rendered = {};
  S.scrollNext = true;
  localStorage.setItem('emu.chat.' + S.me, chatId);
  renderChats();
  renderHeader();
  loadMessages();
  $('input').focus();
}
function pickPerson(openId) {
  S.me = openId;
  localStorage.setItem('emu.me', openId);
  loadConvs().then(function () {
    var saved = localStorage.getItem('emu.chat.' + openId);
    var target =
      S.convs.filter(function (c) {
        return c.chat_id === saved;
      })[0] || S.convs[0];
    if (target) openChat(target.chat_id);
  });
}
function hint(text, warn) {
  var el = $('hint');
  el.textContent = text || '';
  el.className = 'hint' + (warn ? ' warn' : '');
}
function send() {
  var text = $('input').value.trim();
  if (!text || !S.chatId) return;
  var c = currentConv();
  var body = { from: S.me, text: text };
  if (c && c.chat_type === 'group') {
    body.chatId = c.chat_id;
    body.mentionBot = $('mention').checked;
  }
  $('send').disabled = true;
  hint('发送中…');
  api('send', body).then(
    function (r) {
      $('send').disabled = false;
      if (r.error) {
        hint(r.error, true);
        return;
      }
      $('input').value = '';
      if (!r.delivered) hint('消息已发出，但机器人收不到：' + (c && !c.botIn ? '机器人不在这个群里' : '群聊中需要 @机器人'), true);
      else if (r.status !== 200)
        hint(
          (S.dir && S.dir.delivery === 'ws'
            ? '机器人没有在长连接上确认收到（' + r.status + '）'
            : '机器人的事件地址回应了 HTTP ' + r.status) + '（飞书会重试投递）',
          true,
        );
      else hint('');
      S.scrollNext = true;
      refresh(true);
    },
    function (e) {
      $('send').disabled = false;
      hint('发送失败：' + e, true);
    },
  );
}
function sendFile(file) {
  if (!file || !S.chatId) return;
  var c = currentConv();
  var fd = new FormData();
  fd.append('from', S.me);
  fd.append('file', file);
  if (c && c.chat_type === 'group') fd.append('chatId', c.chat_id);
  hint('上传中…');
  fetch('/emulator/api/send-file', { method: 'POST', body: fd })
    .then(function (r) {
      return r.json();
    })
    .then(function (r) {
      if (r.error) hint(r.error, true);
      else hint(r.delivered ? '' : '文件已发出，但机器人收不到（群聊中文件不会 @机器人）', !r.delivered);
      S.scrollNext = true;
      refresh(true);
    });
}

$('send').addEventListener('click', send);
$('input').addEventListener('keydown', function (e) {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  }
});
$('file').addEventListener('change', function () {
  sendFile(this.files[0]);
  this.value = '';
});
$('person').addEventListener('change', function () {
  pickPerson(this.value);
});
$('add-bot').addEventListener('click', function () {
  api('add-bot', { chatId: S.chatId, operator: S.me }).then(function (r) {
    if (r.error) toast(r.error, 'error');
    else toast('已添加机器人到群', 'success');
    refresh(true);
  });
});
$('reset').addEventListener('click', function () {
  if (window.confirm('清空模拟器里的全部消息、文件和调用记录？'))
    api('reset', {}).then(function () {
      S.rendered = {};
      $('messages').innerHTML = '';
      refresh(true);
    });
});

api('directory').then(function (d) {
  S.dir = d;
  var sel = $('person');
  // Grouped by department as Lark's directory is, each name with its job title and what the person does in the
  // bot, so someone trying it can pick "an officer in 东丰县" or "the admin" without knowing the names.
  var groups = {};
  d.users.forEach(function (u) {
    var label = u.name + (u.job_title ? ' · ' + u.job_title : '') + (u.roles ? '（' + u.roles + '）' : '');
    var opt = h('option', { value: u.open_id, text: label, 'data-name': u.name });
    if (!u.department) return sel.appendChild(opt);
    if (!groups[u.department]) {
      groups[u.department] = h('optgroup', { label: u.department });
      sel.appendChild(groups[u.department]);
    }
    groups[u.department].appendChild(opt);
  });
  if (!d.users.length) {
    hint('目录里没有人员：请在启动模拟器时提供 directory', true);
    return;
  }
  var saved = localStorage.getItem('emu.me');
  var me =
    d.users.filter(function (u) {
      return u.open_id === saved;
    })[0] || d.users[0];
  sel.value = me.open_id;
  pickPerson(me.open_id);
});
hooks.refresh = refresh;
setInterval(function () {
  if (!S.polling) {
    S.polling = true;
    refresh(false).then(
      function () {
        S.polling = false;
      },
      function () {
        S.polling = false;
      },
    );
  }
}, 1000);
