// A small Markdown renderer for reports, building elements with h(): headings, paragraphs,
// lists, emphasis, links, code spans and blocks, rules. Every piece of text becomes a
// text node; nothing is ever parsed as HTML, so a report cannot inject markup or script.
// Links go only to http(s), mailto or this site's own pages.

import { h } from './dom.js';

/** The href of a link, when it is one a report may carry; else null (shown as text). */
function safeHref(url) {
  const u = url.trim();
  if (/^(https?:|mailto:)/i.test(u)) return u;
  if ((u.startsWith('/') && !u.startsWith('//')) || u.startsWith('#')) return u;
  return null;
}

// Code spans first (their content is literal), then links, strong and emphasis.
const INLINE = /`([^`\n]+)`|\[([^\]\n]+)\]\(([^()\s]+)\)|\*\*(\S(?:[^]*?\S)?)\*\*|__(\S(?:[^]*?\S)?)__|\*(\S(?:[^*]*?\S)?)\*|(?<![\p{L}\p{N}])_(\S(?:[^_]*?\S)?)_(?![\p{L}\p{N}])/gu;

/** Inline Markdown as a list of nodes and strings. */
export function inline(text) {
  const out = [];
  let last = 0;
  INLINE.lastIndex = 0;
  const re = new RegExp(INLINE.source, INLINE.flags);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(h('code', {}, m[1]));
    else if (m[2] !== undefined) {
      const href = safeHref(m[3]);
      out.push(href ? h('a', { href, rel: 'noopener noreferrer', 'data-link': href.startsWith('/') ? true : undefined }, inline(m[2])) : inline(m[2]));
    } else if (m[4] !== undefined || m[5] !== undefined) out.push(h('strong', {}, inline(m[4] ?? m[5])));
    else out.push(h('em', {}, inline(m[6] ?? m[7])));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * Markdown as block elements. `top`: the level of a `#` heading (2 under a page whose
 * title is the h1).
 */
export function markdown(src, { top = 2 } = {}) {
  const lines = String(src || '').replace(/\r\n?/g, '\n').split('\n');
  const out = [];
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) out.push(h('p', {}, inline(para.join(' '))));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^\s{0,3}(```|~~~)/);
    if (fence) {
      flush(); list = null;
      const code = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(fence[1]); i++) code.push(lines[i]);
      out.push(h('pre', {}, h('code', {}, code.join('\n'))));
      continue;
    }
    if (!line.trim()) { flush(); list = null; continue; }
    const heading = line.match(/^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/);
    if (heading) {
      flush(); list = null;
      out.push(h(`h${Math.min(6, top - 1 + heading[1].length)}`, {}, inline(heading[2])));
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) { flush(); list = null; out.push(h('hr')); continue; }
    const item = line.match(/^\s{0,3}([-*+]|(\d{1,9})[.)])\s+(.*)$/);
    if (item) {
      flush();
      const ordered = item[2] !== undefined;
      if (!list || list.ordered !== ordered) {
        list = { ordered, el: h(ordered ? 'ol' : 'ul', { start: ordered && item[2] !== '1' ? Number(item[2]) : undefined }) };
        out.push(list.el);
      }
      list.el.append(h('li', {}, inline(item[3])));
      continue;
    }
    // An indented line after an item carries the item on.
    if (list && /^\s{2,}\S/.test(line)) {
      const li = list.el.lastElementChild;
      li.append(' ', ...inline(line.trim()).map((x) => (x instanceof Node ? x : document.createTextNode(x))));
      continue;
    }
    list = null;
    para.push(line.trim());
  }
  flush();
  return out;
}
