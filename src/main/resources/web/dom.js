// Small DOM helpers. User-provided text only ever goes through text nodes, textContent or attributes, never HTML parsing.

/** h('button', {class: 'x', onclick: fn}, 'text', child) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'required' || k === 'multiple') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** el.append that skips null/undefined/false children (native append would print "null"). */
export function add(el, ...children) {
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let ids = 0;
/** A labelled form field: label + input (or given control). */
export function field(label, control, hint) {
  if (!control.id) control.id = 'f' + (++ids);
  const parts = [h('label', { for: control.id }, label), control];
  if (hint) {
    const hid = control.id + '-hint';
    control.setAttribute('aria-describedby', hid);
    parts.push(h('small', { id: hid, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}

export function checkbox(label, attrs) {
  const box = h('input', Object.assign({ type: 'checkbox' }, attrs));
  if (!box.id) box.id = 'c' + (++ids);
  return h('span', { class: 'check' }, box, h('label', { for: box.id }, label));
}

/** A message area: role=alert for errors, role=status otherwise. */
export function message(el, text, kind) {
  clear(el);
  el.className = 'message' + (kind ? ' ' + kind : '');
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  if (text) el.textContent = text;
  el.hidden = !text;
}

export function table(headers, rows, attrs) {
  return h('div', { class: 'table-wrap' },
    h('table', attrs || {},
      h('thead', {}, h('tr', {}, headers.map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)));
}

export function time(value) {
  if (value === null || value === undefined || value === '') return '—';
  const d = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (isNaN(d)) return String(value);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function size(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${v} bytes` : `${v.toFixed(1)} ${units[i]} (${bytes} bytes)`;
}

/** A modal confirmation (native <dialog>: focus trapped, Escape cancels). Resolves true on OK. */
export function confirmDialog(title, text, okLabel, danger) {
  return new Promise(resolve => {
    const ok = h('button', { type: 'button', id: 'confirm-ok', class: danger ? 'danger' : 'primary' }, okLabel || 'OK');
    const cancel = h('button', { type: 'button', id: 'confirm-cancel' }, 'Cancel');
    const dlg = h('dialog', { id: 'confirm-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', { id: 'confirm-text' }, text),
      h('div', { class: 'actions' }, cancel, ok));
    const done = value => { dlg.close(); dlg.remove(); resolve(value); };
    ok.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', e => { e.preventDefault(); done(false); });
    document.body.appendChild(dlg);
    dlg.showModal();
    cancel.focus();
  });
}

/** A read-only value with a Copy button (navigator.clipboard, falling back to selecting the text). */
export function copyable(value, id, label) {
  const input = h('input', { type: 'text', readonly: true, value, id, class: 'mono', 'aria-label': label || 'value' });
  const status = h('span', { class: 'copy-status', role: 'status' });
  const btn = h('button', {
    type: 'button', class: 'copy',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        status.textContent = 'Copied.';
      } catch (e) {
        input.select();
        status.textContent = 'Select and copy it with Ctrl+C.';
      }
    }
  }, 'Copy');
  return h('div', { class: 'copyable' }, input, btn, status);
}

export function pre(text, label) {
  const code = h('pre', { class: 'snippet', tabindex: '0', 'aria-label': label || 'snippet' }, h('code', {}, text));
  const status = h('span', { class: 'copy-status', role: 'status' });
  const btn = h('button', {
    type: 'button', class: 'copy', 'aria-label': 'Copy ' + (label || 'snippet'),
    onclick: async () => {
      try { await navigator.clipboard.writeText(text); status.textContent = 'Copied.'; }
      catch (e) { status.textContent = 'Copy failed; select the text instead.'; }
    }
  }, 'Copy');
  return h('div', { class: 'snippet-box' }, code, h('div', {}, btn, status));
}

/** Path segments percent-encoded one by one. */
export function encodePath(path) {
  return path.split('/').filter(s => s !== '').map(encodeURIComponent).join('/');
}
