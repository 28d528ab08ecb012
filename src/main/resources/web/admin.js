// Administration: repositories, users, groups, permission targets, audit log, "who can access".
import { h, add, clear, field, checkbox, message, table, time, confirmDialog } from './dom.js';
import { api } from './api.js';
import { ACTIONS } from './account.js';

const enc = encodeURIComponent;
const csv = s => s.split(',').map(x => x.trim()).filter(Boolean);
const lines = s => s.split('\n').map(x => x.trim()).filter(Boolean);

function pageMsg(root) { return root.querySelector('#page-message'); }

// ---- users

export async function adminUsersPage(root) {
  const msg = pageMsg(root);
  const name = h('input', { type: 'text', id: 'user-name', required: true, autocomplete: 'off' });
  const pw = h('input', { type: 'password', id: 'user-password', required: true, autocomplete: 'new-password' });
  const email = h('input', { type: 'text', id: 'user-email', autocomplete: 'off' });
  const groups = h('input', { type: 'text', id: 'user-groups' });
  const admin = checkbox('Administrator', { id: 'user-admin' });
  const form = h('form', { class: 'card', id: 'user-form' }, h('h2', {}, 'Create a user'),
    h('div', { class: 'row' }, field('User name', name), field('Password', pw), field('E-mail', email),
      field('Groups', groups, 'Comma-separated; the groups must exist.')), admin,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create user')));
  const list = h('div');
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      await api('PUT', '/api/users/' + enc(name.value.trim()), {
        password: pw.value, email: email.value || null, groups: csv(groups.value), admin: admin.querySelector('input').checked
      });
      message(msg, `User "${name.value.trim()}" saved.`, 'ok');
      form.reset();
      await load();
    } catch (e) { message(msg, e.message, 'error'); }
  });
  async function save(u, change, text) {
    try { await api('PUT', '/api/users/' + enc(u.username), change); message(msg, text, 'ok'); await load(); }
    catch (e) { message(msg, e.message, 'error'); }
  }
  async function load() {
    const users = await api('GET', '/api/users');
    clear(list).append(table(['User', 'E-mail', 'Admin', 'Status', 'Groups', ''], users.map(u => {
      const g = h('input', { type: 'text', value: u.groups.join(', '), 'aria-label': `Groups of ${u.username}` });
      return h('tr', {},
        h('td', {}, u.username), h('td', {}, u.email || ''), h('td', {}, u.admin ? 'yes' : 'no'),
        h('td', {}, u.disabled ? h('span', { class: 'badge no' }, 'disabled') : h('span', { class: 'badge yes' }, 'active')),
        h('td', {}, h('div', { class: 'copyable' }, g,
          h('button', { type: 'button', 'aria-label': `Save groups of ${u.username}`, onclick: () => save(u, { groups: csv(g.value) }, 'Groups saved.') }, 'Save'))),
        h('td', {}, h('div', { class: 'actions' },
          h('button', {
            type: 'button', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.username}`,
            onclick: async () => {
              if (!u.disabled && !await confirmDialog(`Disable "${u.username}"?`,
                'The user can no longer log in, and all of their keys, tokens and sessions stop working until enabled again.', 'Disable', true)) return;
              await save(u, { disabled: !u.disabled }, `${u.username} ${u.disabled ? 'enabled' : 'disabled'}.`);
            }
          }, u.disabled ? 'Enable' : 'Disable'),
          h('button', {
            type: 'button', class: 'danger', 'aria-label': `Delete ${u.username}`,
            onclick: async () => {
              if (!await confirmDialog(`Delete "${u.username}"?`, 'The user and all of their keys and tokens are deleted.', 'Delete', true)) return;
              try { await api('DELETE', '/api/users/' + enc(u.username)); await load(); } catch (e) { message(msg, e.message, 'error'); }
            }
          }, 'Delete'))));
    }), { id: 'users-table' }));
  }
  root.append(h('h1', {}, 'Users'), form, h('section', { class: 'card' }, h('h2', {}, 'All users'), list));
  await load();
}

// ---- groups

export async function adminGroupsPage(root) {
  const msg = pageMsg(root);
  const name = h('input', { type: 'text', id: 'group-name', required: true });
  const desc = h('input', { type: 'text', id: 'group-description' });
  const members = h('input', { type: 'text', id: 'group-members' });
  const form = h('form', { class: 'card', id: 'group-form' }, h('h2', {}, 'Create or edit a group'),
    h('div', { class: 'row' }, field('Name', name), field('Description', desc), field('Members', members, 'Comma-separated user names.')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save group')));
  const list = h('div');
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      await api('PUT', '/api/groups/' + enc(name.value.trim()), { description: desc.value, members: csv(members.value) });
      message(msg, `Group "${name.value.trim()}" saved.`, 'ok');
      form.reset();
      await load();
    } catch (e) { message(msg, e.message, 'error'); }
  });
  async function load() {
    const groups = await api('GET', '/api/groups');
    clear(list).append(groups.length === 0 ? h('p', { class: 'muted' }, 'No groups yet.') : table(['Group', 'Description', 'Members', ''],
      groups.map(g => h('tr', {}, h('td', {}, g.name), h('td', {}, g.description || ''), h('td', {}, g.members.join(', ')),
        h('td', {}, h('div', { class: 'actions' },
          h('button', { type: 'button', 'aria-label': `Edit ${g.name}`, onclick: () => {
            name.value = g.name; desc.value = g.description || ''; members.value = g.members.join(', '); name.focus();
          } }, 'Edit'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${g.name}`, onclick: async () => {
            if (!await confirmDialog(`Delete group "${g.name}"?`, 'Its members lose the rights they had through it.', 'Delete', true)) return;
            try { await api('DELETE', '/api/groups/' + enc(g.name)); await load(); } catch (e) { message(msg, e.message, 'error'); }
          } }, 'Delete'))))), { id: 'groups-table' }));
  }
  root.append(h('h1', {}, 'Groups'), form, h('section', { class: 'card' }, h('h2', {}, 'All groups'), list));
  await load();
}

// ---- permission targets

export async function adminPermissionsPage(root) {
  const msg = pageMsg(root);
  const name = h('input', { type: 'text', id: 'perm-name', required: true });
  const repos = h('input', { type: 'text', id: 'perm-repos', value: '' });
  const include = h('textarea', { id: 'perm-include' }, '**');
  const exclude = h('textarea', { id: 'perm-exclude' });
  const grantsBody = h('tbody');
  const grantRow = (kind, who, actions) => {
    const whoInput = h('input', { type: 'text', value: who || '', 'aria-label': `${kind} name`, class: 'grant-name' });
    const row = h('tr', { dataset: { kind } },
      h('td', {}, kind), h('td', {}, whoInput),
      h('td', {}, ACTIONS.map(([l, label]) => checkbox(l, { value: l, checked: (actions || []).includes(l), title: label, class: 'grant-action' }))),
      h('td', {}, h('button', { type: 'button', 'aria-label': 'Remove this row', onclick: () => row.remove() }, 'Remove')));
    grantsBody.append(row);
    return whoInput;
  };
  const form = h('form', { class: 'card', id: 'perm-form' }, h('h2', {}, 'Create or edit a permission target'),
    h('div', { class: 'row' }, field('Name', name),
      field('Repositories', repos, 'Comma-separated names; * for every repository.')),
    h('div', { class: 'row' }, field('Include patterns', include, 'One per line: ** any folders, * any name in one folder.'),
      field('Exclude patterns', exclude, 'One per line; these win over includes.')),
    h('fieldset', {}, h('legend', {}, 'Who may do what'),
      h('div', { class: 'table-wrap' }, h('table', { id: 'perm-grants' },
        h('thead', {}, h('tr', {}, ['Kind', 'User or group', 'Actions', ''].map(t => h('th', { scope: 'col' }, t)))), grantsBody)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'perm-add-user', onclick: () => grantRow('user').focus() }, 'Add user'),
        h('button', { type: 'button', id: 'perm-add-group', onclick: () => grantRow('group').focus() }, 'Add group'))),
    h('p', { class: 'hint' }, ACTIONS.map(([l, label]) => `${l} = ${label}`).join(' · ')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'perm-save' }, 'Save target'),
      h('button', { type: 'button', onclick: () => edit(null) }, 'New')));
  const list = h('div');
  function edit(t) {
    name.value = t ? t.name : '';
    repos.value = t ? t.repositories.join(', ') : '';
    include.value = t ? t.includePatterns.join('\n') : '**';
    exclude.value = t ? t.excludePatterns.join('\n') : '';
    clear(grantsBody);
    if (t) {
      Object.entries(t.users).forEach(([u, a]) => grantRow('user', u, a));
      Object.entries(t.groups).forEach(([g, a]) => grantRow('group', g, a));
    }
    name.focus();
  }
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const users = {}, groups = {};
    for (const row of grantsBody.querySelectorAll('tr')) {
      const who = row.querySelector('.grant-name').value.trim();
      if (!who) continue;
      const acts = [...row.querySelectorAll('input[type=checkbox]')].filter(b => b.checked).map(b => b.value);
      (row.dataset.kind === 'user' ? users : groups)[who] = acts;
    }
    try {
      await api('PUT', '/api/permissions/' + enc(name.value.trim()), {
        repositories: csv(repos.value), includePatterns: lines(include.value), excludePatterns: lines(exclude.value), users, groups
      });
      message(msg, `Permission target "${name.value.trim()}" saved.`, 'ok');
      await load();
    } catch (e) { message(msg, e.message, 'error'); }
  });
  const fmt = m => Object.entries(m).map(([k, v]) => `${k}: ${v.join('')}`).join('; ');
  async function load() {
    const targets = await api('GET', '/api/permissions');
    clear(list).append(targets.length === 0 ? h('p', { class: 'muted' }, 'No permission targets yet.') : table(
      ['Target', 'Repositories', 'Include', 'Exclude', 'Users', 'Groups', ''],
      targets.map(t => h('tr', {}, h('td', {}, t.name), h('td', {}, t.repositories.join(', ')),
        h('td', { class: 'mono' }, t.includePatterns.join(' ')), h('td', { class: 'mono' }, t.excludePatterns.join(' ')),
        h('td', {}, fmt(t.users)), h('td', {}, fmt(t.groups)),
        h('td', {}, h('div', { class: 'actions' },
          h('button', { type: 'button', 'aria-label': `Edit ${t.name}`, onclick: () => edit(t) }, 'Edit'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${t.name}`, onclick: async () => {
            if (!await confirmDialog(`Delete "${t.name}"?`, 'Everyone loses the rights this target gave.', 'Delete', true)) return;
            try { await api('DELETE', '/api/permissions/' + enc(t.name)); await load(); } catch (e) { message(msg, e.message, 'error'); }
          } }, 'Delete'))))), { id: 'perms-table' }));
  }
  root.append(h('h1', {}, 'Permission targets'),
    h('p', {}, 'A user\'s rights on a path are the union of every target whose repositories and include patterns match '
      + 'and whose exclude patterns do not, through the user or any of their groups.'),
    form, h('section', { class: 'card' }, h('h2', {}, 'All targets'), list));
  await load();
}

// ---- audit log (GET /api/audit; may be missing on older servers)

function unavailable(e, what) {
  return e.status === 404 || e.status === 405
    ? `${what} is not available on this server (it answered ${e.status}).` : e.message;
}

export async function auditPage(root) {
  const msg = pageMsg(root);
  const since = h('input', { type: 'datetime-local', id: 'audit-since' });
  const until = h('input', { type: 'datetime-local', id: 'audit-until' });
  const user = h('input', { type: 'text', id: 'audit-username' });
  const outcome = h('select', { id: 'audit-outcome' }, ['', 'success', 'allowed', 'denied', 'failed'].map(o => h('option', { value: o }, o || 'any')));
  const limit = h('input', { type: 'number', id: 'audit-limit', value: '100', min: '1', max: '1000' });
  const out = h('div', { id: 'audit-results' });
  const more = h('div');
  const iso = v => v ? new Date(v + 'Z').toISOString() : null;
  const form = h('form', { class: 'card', id: 'audit-form' },
    h('div', { class: 'row' }, field('Since (UTC)', since), field('Until (UTC)', until), field('User name', user),
      field('Outcome', outcome), field('Limit', limit)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Search')));
  const rowOf = ev => h('tr', {}, h('td', {}, time(ev.time)), h('td', {}, ev.username || 'anonymous'),
    h('td', {}, ev.authenticatedBy || ''), h('td', {}, ev.action || ''),
    h('td', { class: 'mono break' }, [ev.repo, ev.path].filter(Boolean).join('/')),
    h('td', {}, ev.outcome || ''), h('td', {}, ev.status ?? ''), h('td', {}, ev.ip || ''), h('td', { class: 'break' }, ev.userAgent || ''));
  async function search(url, append) {
    try {
      const r = await api('GET', url);
      const events = Array.isArray(r) ? r : (r.events || []);
      if (!append) {
        clear(out).append(events.length === 0 ? h('p', { class: 'muted' }, 'No events match.')
          : table(['Time', 'User', 'By', 'Action', 'Path', 'Outcome', 'Status', 'From', 'Client'], events.map(rowOf), { id: 'audit-table' }));
      } else {
        const body = out.querySelector('tbody');
        if (body) events.forEach(ev => body.append(rowOf(ev)));
      }
      clear(more);
      if (r && r.next) {
        const next = typeof r.next === 'string' && r.next.startsWith('/') ? r.next
          : url + (url.includes('?') ? '&' : '?') + 'next=' + enc(String(r.next));
        more.append(h('button', { type: 'button', onclick: () => search(next, true) }, 'Load more'));
      }
    } catch (e) { message(msg, unavailable(e, 'The audit log'), 'error'); }
  }
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (since.value) q.set('since', iso(since.value));
    if (until.value) q.set('until', iso(until.value));
    if (user.value.trim()) q.set('username', user.value.trim());
    if (outcome.value) q.set('outcome', outcome.value);
    if (limit.value) q.set('limit', limit.value);
    search('/api/audit?' + q.toString(), false);
  });
  root.append(h('h1', {}, 'Audit log'),
    h('p', {}, 'Logins, failures, denials, writes, deletes, and credential creation and revocation. Secrets never appear here.'),
    form, h('section', { class: 'card' }, out, more));
  await search('/api/audit?limit=100', false);
}

// ---- who can access this path (GET /api/access/check)

export async function accessCheckPage(root) {
  const msg = pageMsg(root);
  let repos = [];
  try { repos = await api('GET', '/api/repositories'); } catch (e) { message(msg, e.message, 'error'); }
  const repo = h('select', { id: 'check-repo' }, repos.map(r => h('option', { value: r.name }, r.name)));
  const path = h('input', { type: 'text', id: 'check-path', placeholder: 'com/acme/app/1.0/app-1.0.jar' });
  const action = h('select', { id: 'check-action' }, ACTIONS.map(([l, label]) => h('option', { value: l }, `${l} — ${label}`)));
  const user = h('input', { type: 'text', id: 'check-username', placeholder: 'empty: yourself' });
  const out = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', id: 'check-form' },
    h('div', { class: 'row' }, field('Repository', repo), field('Path', path), field('Action', action), field('User name', user)),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Check')));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const q = new URLSearchParams({ repo: repo.value, path: path.value.trim(), action: action.value });
    if (user.value.trim()) q.set('username', user.value.trim());
    clear(out);
    try {
      const r = await api('GET', '/api/access/check?' + q.toString());
      const matched = [].concat(r.matchedBy || []).map(m => typeof m === 'string' ? m : JSON.stringify(m));
      add(out, h('p', {}, h('span', { class: 'badge ' + (r.allowed ? 'yes' : 'no') }, r.allowed ? 'allowed' : 'denied'), ' ', r.reason || ''),
        matched.length ? h('div', {}, h('h2', {}, 'Matched by'), h('ul', {}, matched.map(m => h('li', { class: 'mono' }, m)))) : null);
    } catch (e) { message(msg, unavailable(e, 'The access check'), 'error'); }
  });
  root.append(h('h1', {}, 'Who can access this path?'),
    h('p', {}, 'Explains why a user may or may not do an action on a path: which permission targets, groups or public switch decide it.'),
    form, out);
}
