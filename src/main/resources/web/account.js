// Account preferences: personal access keys, scoped access tokens, password.
import { h, add, clear, field, checkbox, message, table, time, confirmDialog, copyable } from './dom.js';
import { api, clearSession } from './api.js';

export const ACTIONS = [
  ['r', 'read'], ['w', 'write (deploy)'], ['d', 'delete / overwrite'], ['a', 'annotate (properties)'],
  ['m', 'manage'], ['x', 'execute'], ['s', 'synchronize'],
];

/** The "shown once" panel for a new key or token. */
function oneTime(kind, value, id) {
  return h('section', { class: 'one-time', id: id + '-panel', 'aria-labelledby': id + '-title' },
    h('h2', { id: id + '-title' }, `Your new ${kind}`),
    h('p', { class: 'warning' }, h('strong', {}, 'Copy it now. '),
      `This is the only time the ${kind} is shown: Coffer keeps only a hash of it and cannot show it again. `
      + 'If you lose it, revoke it and create a new one.'),
    copyable(value, id, `new ${kind}`));
}

// ---- personal access keys

export async function keysPage(root) {
  const msg = root.querySelector('#page-message');
  const desc = h('input', { type: 'text', id: 'key-description', maxlength: '1024', placeholder: 'e.g. laptop Maven settings' });
  const expires = h('input', { type: 'date', id: 'key-expires' });
  const created = h('div', { id: 'new-key' });
  const list = h('div', { id: 'keys-list' });
  const form = h('form', { class: 'card', id: 'key-form' },
    h('h2', {}, 'Generate a key'),
    h('div', { class: 'row' }, field('Description', desc, 'What or where the key is used, so that you can tell keys apart.'),
      field('Expires on (optional)', expires, 'The key stops working at the end of this day (UTC). Empty: never.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'key-generate', class: 'primary' }, 'Generate key')));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = { description: desc.value.trim() || null };
    if (expires.value) body.expiresAt = expires.value + 'T23:59:59Z';
    try {
      const k = await api('POST', '/api/access-keys', body);
      clear(created).append(oneTime('access key', k.key, 'new-key-value'),
        h('p', {}, 'Use it as ', h('code', {}, 'X-Auth-AccessKey: <key>'), ', as ', h('code', {}, 'Authorization: Bearer <key>'),
          ', or as the password (with your user name) in Maven\'s settings.xml.'));
      desc.value = ''; expires.value = '';
      document.getElementById('new-key-value').focus();
      await loadKeys();
    } catch (e) { message(msg, e.message, 'error'); }
  });

  async function loadKeys() {
    const keys = await api('GET', '/api/access-keys');
    const rows = keys.map(k => h('tr', { dataset: { keyId: k.id } },
      h('td', {}, k.description || h('span', { class: 'muted' }, '(no description)')),
      h('td', {}, time(k.createdAt)),
      h('td', {}, k.expiresAt ? time(k.expiresAt) : 'never'),
      h('td', { class: 'last-used' }, k.lastUsedAt ? time(k.lastUsedAt) : 'never'),
      h('td', { class: 'last-used-ip' }, k.lastUsedIp || '—'),
      h('td', {}, h('button', {
        type: 'button', class: 'danger revoke', 'aria-label': `Revoke key ${k.description || k.id}`,
        onclick: async () => {
          const ok = await confirmDialog('Revoke this access key?',
            `"${k.description || k.id}" stops working at once for every client that uses it. This cannot be undone.`,
            'Revoke key', true);
          if (!ok) return;
          try {
            await api('DELETE', '/api/access-keys/' + encodeURIComponent(k.id));
            message(msg, `Key "${k.description || k.id}" revoked.`, 'ok');
            await loadKeys();
          } catch (e) { message(msg, e.message, 'error'); }
        }
      }, 'Revoke'))));
    clear(list).append(keys.length === 0 ? h('p', { class: 'muted' }, 'You have no access keys.')
      : table(['Description', 'Created', 'Expires', 'Last used', 'From', ''], rows, { id: 'keys-table' }));
  }

  root.append(h('h1', {}, 'Personal access keys'),
    h('p', {}, 'A key acts with all of your rights. Use it instead of your password in scripts and build tools; '
      + 'revoke it when it is no longer needed.'),
    form, created,
    h('section', { class: 'card' }, h('h2', {}, 'Your keys'),
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'keys-refresh', onclick: () => loadKeys() }, 'Refresh')),
      list));
  await loadKeys();
}

// ---- scoped access tokens

export function scopeString(repo, pattern, actions) {
  if (!repo) return 'applied-permissions/user';
  const p = (pattern || '**').trim().replace(/^\/+/, '') || '**';
  return `artifact:${repo}/${p}:${actions.length ? actions.join(',') : '?'}`;
}

export async function tokensPage(root, rest, me) {
  const msg = root.querySelector('#page-message');
  let repos = [];
  try { repos = await api('GET', '/api/repositories'); } catch (e) { message(msg, e.message, 'error'); }
  const repo = h('select', { id: 'token-repo' },
    h('option', { value: '' }, 'All my rights (applied-permissions/user)'),
    repos.map(r => h('option', { value: r.name }, r.name)));
  const pattern = h('input', { type: 'text', id: 'token-path', value: '**' });
  const boxes = ACTIONS.map(([letter, label]) => checkbox(`${letter} — ${label}`,
    { value: letter, id: 'token-action-' + letter, checked: letter === 'r' }));
  const actionsSet = h('fieldset', { id: 'token-actions' }, h('legend', {}, 'Actions'), boxes);
  const preview = h('output', { id: 'token-scope', class: 'scope-preview mono', for: 'token-repo token-path', 'aria-live': 'polite' });
  const desc = h('input', { type: 'text', id: 'token-description', maxlength: '1024', placeholder: 'e.g. CI job for app releases' });
  const expiry = h('select', { id: 'token-expiry' },
    [['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days'], ['2592000', '30 days'], ['7776000', '90 days'],
      ['31536000', '1 year']].map(([v, l]) => h('option', { value: v, selected: v === '2592000' }, l)),
    me && me.admin ? h('option', { value: '0' }, 'never (administrators only)') : null);
  const refreshable = checkbox('Refreshable (also returns a refresh token)', { id: 'token-refreshable' });
  const selected = () => boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => i.value);
  const update = () => {
    const scoped = !!repo.value;
    pattern.disabled = !scoped;
    boxes.forEach(b => { b.querySelector('input').disabled = !scoped; });
    preview.textContent = scopeString(repo.value, pattern.value, selected());
  };
  [repo, pattern, actionsSet].forEach(el => { el.addEventListener('input', update); el.addEventListener('change', update); });
  update();
  const created = h('div', { id: 'new-token' });
  const list = h('div', { id: 'tokens-list' });
  const form = h('form', { class: 'card', id: 'token-form' },
    h('h2', {}, 'Create a token'),
    field('Repository', repo, 'Narrow the token to one repository, or give it all of your rights.'),
    field('Path pattern', pattern, '** is any number of folders, * any name within one folder; e.g. com/acme/**'),
    actionsSet,
    h('p', {}, 'Resulting scope: ', preview),
    h('div', { class: 'row' }, field('Description', desc), field('Expires after', expiry)),
    refreshable,
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'token-create', class: 'primary' }, 'Create token')));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    if (repo.value && selected().length === 0) { message(msg, 'Choose at least one action.', 'error'); return; }
    try {
      const t = await api('POST', '/access/api/v1/tokens', {
        scope: preview.textContent, expires_in: Number(expiry.value), description: desc.value.trim(),
        refreshable: refreshable.querySelector('input').checked
      });
      add(clear(created), oneTime('access token', t.access_token, 'new-token-value'),
        t.refresh_token ? h('div', {}, h('p', {}, 'Refresh token (also shown only once):'),
          copyable(t.refresh_token, 'new-refresh-value', 'refresh token')) : null,
        h('p', {}, 'Scope: ', h('code', {}, t.scope), '. Use it as ', h('code', {}, 'Authorization: Bearer <token>'), '.'));
      document.getElementById('new-token-value').focus();
      await loadTokens();
    } catch (e) { message(msg, e.message, 'error'); }
  });

  async function loadTokens() {
    const r = await api('GET', '/access/api/v1/tokens');
    const rows = r.tokens.map(t => h('tr', { dataset: { tokenId: t.token_id } },
      h('td', {}, t.description || h('span', { class: 'muted' }, '(none)')),
      me && me.admin ? h('td', {}, t.subject) : null,
      h('td', { class: 'mono break' }, t.scope),
      h('td', {}, time(t.issued_at)),
      h('td', {}, t.expiry ? time(t.expiry) : 'never'),
      h('td', {}, t.last_used ? time(t.last_used) : 'never'),
      h('td', {}, h('button', {
        type: 'button', class: 'danger', 'aria-label': `Revoke token ${t.description || t.token_id}`,
        onclick: async () => {
          if (!await confirmDialog('Revoke this access token?',
            `"${t.description || t.token_id}" stops working at once. This cannot be undone.`, 'Revoke token', true)) return;
          try {
            await api('DELETE', '/access/api/v1/tokens/' + encodeURIComponent(t.token_id));
            message(msg, 'Token revoked.', 'ok');
            await loadTokens();
          } catch (e) { message(msg, e.message, 'error'); }
        }
      }, 'Revoke'))));
    const headers = ['Description'].concat(me && me.admin ? ['Subject'] : [], ['Scope', 'Issued', 'Expires', 'Last used', '']);
    clear(list).append(r.tokens.length === 0 ? h('p', { class: 'muted' }, 'No access tokens.')
      : table(headers, rows, { id: 'tokens-table' }));
  }

  root.append(h('h1', {}, 'Scoped access tokens'),
    h('p', {}, 'A token can be narrowed to one repository, a path and a few actions: least privilege for CI jobs. '
      + 'It never grants more than you currently have.'),
    form, created, h('section', { class: 'card' }, h('h2', {}, me && me.admin ? 'All tokens' : 'Your tokens'), list));
  await loadTokens();
}

// ---- password

export function passwordPage(root) {
  const msg = root.querySelector('#page-message');
  const cur = h('input', { type: 'password', id: 'pw-current', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', id: 'pw-new', autocomplete: 'new-password', required: true });
  const again = h('input', { type: 'password', id: 'pw-again', autocomplete: 'new-password', required: true });
  const form = h('form', { class: 'card', id: 'password-form' },
    field('Current password', cur), field('New password', next), field('New password again', again),
    h('p', { class: 'warning' }, 'Changing the password ends all of your sessions, this one included: you will log in again. '
      + 'Access keys and tokens keep working.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'pw-submit' }, 'Change password')));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    if (next.value !== again.value) { message(msg, 'The new passwords differ.', 'error'); again.focus(); return; }
    try {
      await api('PUT', '/api/me/password', { currentPassword: cur.value, newPassword: next.value }, { noSessionCheck: true });
      clearSession();
      const app = await import('./app.js');
      app.flash('Password changed. Your sessions have ended: log in with the new password.', 'ok');
      app.go('#/login');
    } catch (e) {
      message(msg, e.code === 'password_wrong' ? 'The current password is wrong.'
        : e.status === 429 ? 'Too many wrong passwords: password login is locked for a while.' : e.message, 'error');
    }
  });
  root.append(h('h1', {}, 'Change password'), form);
}
