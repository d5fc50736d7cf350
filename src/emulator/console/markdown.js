// Lark card markdown (the subset Lark renders), escaped before it is placed in the page.
import { esc, h, nameOf } from './base.js';

/* ---------- markdown (Lark's subset) ---------- */
var BT = '\x60';
function inline(s) {
  s = esc(s);
  var codes = [];
  s = s.replace(/\x60([^\x60]+)\x60/g, function (_, c) {
    codes.push(c);
    return '\u0000' + (codes.length - 1) + '\u0000';
  });
  s = s.replace(/&lt;font\s+color=(?:&#39;|&quot;)?([\w-]+)(?:&#39;|&quot;)?&gt;([\s\S]*?)&lt;\/font&gt;/g, function (_, c, t) {
    return '<span class="c-' + c + '">' + t + '</span>';
  });
  s = s.replace(/&lt;text_tag\s+color=(?:&#39;|&quot;)?([\w-]+)(?:&#39;|&quot;)?&gt;([\s\S]*?)&lt;\/text_tag&gt;/g, function (_, c, t) {
    return '<span class="ttag tg-' + c + '">' + t + '</span>';
  });
  s = s.replace(/&lt;at\s+(?:id|user_id|open_id)=(?:&#39;|&quot;)?([\w-]+)(?:&#39;|&quot;)?&gt;\s*&lt;\/at&gt;/g, function (_, id) {
    return '<span class="at">@' + esc(id === 'all' ? '所有人' : nameOf(id)) + '</span>';
  });
  s = s.replace(/&lt;link\s[^&]*?url=(?:&#39;|&quot;)([^&]+?)(?:&#39;|&quot;)[^&]*?&gt;([\s\S]*?)&lt;\/link&gt;/g, function (_, u, t) {
    return '<a href="' + u + '" target="_blank" rel="noopener">' + t + '</a>';
  });
  s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '[图片 $1]');
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, function (_, t, u) {
    return /^(https?:|lark:|mailto:|\/)/.test(u) ? '<a href="' + u + '" target="_blank" rel="noopener">' + t + '</a>' : t;
  });
  s = s.replace(/\*\*([\s\S]+?)\*\*/g, '<b>$1</b>');
  s = s.replace(/__([\s\S]+?)__/g, '<b>$1</b>');
  s = s.replace(/~~([\s\S]+?)~~/g, '<s>$1</s>');
  s = s.replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\*)/g, '$1<i>$2</i>');
  // An entity in the source (`&lt;`, `&#42;`: how the bot escapes a user's text) is shown as its character, as
  // Lark shows it, and only now, after every markup rule has run: it is never read as markup.
  s = s.replace(/&amp;(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, '&$1;');
  // NUL marks a code span put aside above, so no other rule rewrites its text.
  // eslint-disable-next-line no-control-regex
  s = s.replace(/\u0000(\d+)\u0000/g, function (_, i) {
    return '<code>' + codes[+i] + '</code>';
  });
  return s;
}
function md(src) {
  var lines = String(src === undefined || src === null ? '' : src)
    .replace(/\r\n?/g, '\n')
    .split('\n');
  var out = [],
    list = null,
    para = [],
    inCode = false,
    code = [];
  function flushPara() {
    if (para.length) {
      out.push('<p>' + para.map(inline).join('<br>') + '</p>');
      para = [];
    }
  }
  function flushList() {
    if (list) {
      out.push(
        '<' +
          list.type +
          '>' +
          list.items
            .map(function (i) {
              return '<li>' + inline(i) + '</li>';
            })
            .join('') +
          '</' +
          list.type +
          '>',
      );
      list = null;
    }
  }
  lines.forEach(function (line) {
    if (line.trim().indexOf(BT + BT + BT) === 0) {
      if (inCode) {
        out.push('<pre><code>' + esc(code.join('\n')) + '</code></pre>');
        code = [];
        inCode = false;
      } else {
        flushPara();
        flushList();
        inCode = true;
      }
      return;
    }
    if (inCode) {
      code.push(line);
      return;
    }
    var m;
    if (/^\s*$/.test(line)) {
      flushPara();
      flushList();
      return;
    }
    if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
      flushPara();
      flushList();
      var lv = Math.min(m[1].length, 4);
      out.push('<h' + lv + '>' + inline(m[2]) + '</h' + lv + '>');
      return;
    }
    if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) {
      flushPara();
      flushList();
      out.push('<hr>');
      return;
    }
    if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) {
      flushPara();
      if (!list || list.type !== 'ul') {
        flushList();
        list = { type: 'ul', items: [] };
      }
      list.items.push(m[1]);
      return;
    }
    if ((m = /^\s*\d+[.)]\s+(.*)$/.exec(line))) {
      flushPara();
      if (!list || list.type !== 'ol') {
        flushList();
        list = { type: 'ol', items: [] };
      }
      list.items.push(m[1]);
      return;
    }
    if ((m = /^>\s?(.*)$/.exec(line))) {
      flushPara();
      flushList();
      out.push('<blockquote>' + inline(m[1]) + '</blockquote>');
      return;
    }
    flushList();
    para.push(line);
  });
  if (inCode) out.push('<pre><code>' + esc(code.join('\n')) + '</code></pre>');
  flushPara();
  flushList();
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
  if (isMd) el.innerHTML = md(textOf(t));
  else {
    el.textContent = textOf(t);
    el.style.whiteSpace = 'pre-wrap';
  }
  if (t.text_color) el.classList.add('c-' + t.text_color);
  if (t.text_size === 'notation') el.classList.add('size-notation');
  if (t.text_align) el.style.textAlign = t.text_align;
  return el;
}

export { inline, md, textOf, richText };
