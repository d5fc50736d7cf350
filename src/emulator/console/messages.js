// One message as Lark shows it: text with mentions, rich text, a card, a file or an image.
import { S, avatar, esc, fmtTime, h, nameOf } from './base.js';
import { md } from './markdown.js';
import { renderCard } from './cards.js';

/* ---------- messages ---------- */
function renderPost(c) {
  var p = c.zh_cn || c.en_us || (c.post && (c.post.zh_cn || c.post.en_us)) || c;
  var el = h('div', { class: 'bubble md' });
  if (p.title) el.appendChild(h('div', { style: { fontWeight: '600', marginBottom: '4px' }, text: p.title }));
  (p.content || []).forEach(function (para) {
    var line = h('div');
    (para || []).forEach(function (n) {
      if (n.tag === 'text')
        line.appendChild(h('span', { text: n.text, style: n.style && n.style.indexOf('bold') >= 0 ? { fontWeight: '600' } : undefined }));
      else if (n.tag === 'a') line.appendChild(h('a', { href: n.href, target: '_blank', text: n.text }));
      else if (n.tag === 'at') line.appendChild(h('span', { class: 'at', text: '@' + (n.user_name || nameOf(n.user_id)) }));
      else if (n.tag === 'md') {
        var s = h('span');
        s.innerHTML = md(n.text);
        line.appendChild(s);
      } else if (n.tag === 'hr') line.appendChild(h('hr'));
      else if (n.tag === 'code_block') line.appendChild(h('pre', { text: n.text }));
      else if (n.text) line.appendChild(document.createTextNode(n.text));
    });
    el.appendChild(line);
  });
  return el;
}
function renderText(text) {
  var el = h('div', { class: 'bubble', 'data-testid': 'text-bubble' });
  // What Lark renders in a text message: `<at user_id="…"></at>` mentions, `<b> <i> <u> <s>`, `[text](url)` links;
  // so a user's markup the bot let through shows here as it would in Lark.
  var html = esc(text)
    .replace(/@([^\s@]+)/g, '<span class="at">@$1</span>')
    .replace(/&lt;at\s+user_id=(?:&quot;|&#39;)?([\w-]+)(?:&quot;|&#39;)?&gt;([\s\S]*?)&lt;\/at&gt;/g, function (_, id, name) {
      return '<span class="at">@' + (id === 'all' ? '所有人' : name || esc(nameOf(id))) + '</span>';
    })
    .replace(/&lt;(b|i|u|s)&gt;([\s\S]*?)&lt;\/\1&gt;/g, '<$1>$2</$1>')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
  el.innerHTML = html;
  return el;
}
function fmtSize(n) {
  return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : n >= 1024 ? Math.round(n / 1024) + ' KB' : n + ' B';
}
function renderContent(m) {
  if (m.deleted) return h('div', { class: 'bubble deleted', text: '此消息已撤回' });
  var c = m.content || {};
  switch (m.msg_type) {
    case 'text':
      return renderText(c.text || '');
    case 'post':
      return renderPost(c);
    case 'interactive':
      try {
        return renderCard(c, m);
      } catch (err) {
        return h('div', { class: 'unknown', text: '卡片渲染失败：' + err });
      }
    case 'file': {
      var name = c.file_name || c.file_key;
      var dot = String(name).lastIndexOf('.');
      var ext =
        dot > 0
          ? String(name)
              .slice(dot + 1, dot + 5)
              .toUpperCase()
          : 'FILE';
      var size = typeof c.file_size === 'number' ? fmtSize(c.file_size) + ' · ' : '';
      return h('div', { class: 'file-chip', 'data-testid': 'file-message' }, [
        h('div', { class: 'icon', text: ext }),
        h('div', { style: { minWidth: '0' } }, [
          h('a', {
            href: '/emulator/api/files/' + encodeURIComponent(c.file_key),
            download: name,
            'data-testid': 'file-link',
            text: name,
          }),
          h('div', { class: 'note', text: size + '点击下载' }),
        ]),
      ]);
    }
    case 'image':
      return h('img', {
        class: 'img',
        style: { maxWidth: '320px', borderRadius: '8px' },
        src: '/emulator/api/files/' + encodeURIComponent(c.image_key),
      });
    default:
      return h('div', { class: 'bubble', text: '[' + m.msg_type + '] ' + JSON.stringify(c) });
  }
}
function renderMessage(m) {
  var mine = m.sender.type === 'user' && m.sender.id === S.me;
  var isBot = m.sender.type === 'app';
  var row = h('div', {
    class: 'msg' + (mine ? ' mine' : ''),
    id: 'm-' + m.message_id,
    'data-testid': isBot ? 'bot-message' : 'user-message',
    'data-message-id': m.message_id,
  });
  row.appendChild(avatar(m.sender.name, isBot ? 'bot' : 'user', m.sender.id));
  var body = h('div', { class: 'body' });
  body.appendChild(
    h('div', { class: 'who-line' }, [
      mine ? '' : m.sender.name + '  ',
      fmtTime(m.created_at),
      isBot ? h('span', { class: 'tag', text: '机器人' }) : null,
    ]),
  );
  body.appendChild(renderContent(m));
  if (m.update_count > 0)
    body.appendChild(
      h('div', { class: 'updated', 'data-testid': 'updated-label', text: '已更新 ' + m.update_count + ' 次 · ' + fmtTime(m.updated_at) }),
    );
  row.appendChild(body);
  return row;
}

export { renderMessage };
