// Administration of repositories (API.md §3, §9): local, remote (caching proxy) and virtual ones,
// their package type, the public switch, and a remote's cache.
import { h, clear, field, checkbox, message, table, size, confirmDialog } from './dom.js';
import { api } from './api.js';

const enc = encodeURIComponent;
const csv = s => s.split(',').map(x => x.trim()).filter(Boolean);
const lines = s => s.split('\n').map(x => x.trim()).filter(Boolean);
const TYPES = ['generic', 'maven', 'npm'];
const CLASSES = [['local', 'local (hosted here)'], ['remote', 'remote (caching proxy)'], ['virtual', 'virtual (one address over members)']];

/** The create/edit form; `editing` is the repository being changed, or null to create one. */
function repoForm(onSaved, msg) {
  const name = h('input', { type: 'text', id: 'repo-name', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._-]*' });
  const desc = h('input', { type: 'text', id: 'repo-description' });
  const type = h('select', { id: 'repo-type' }, TYPES.map(t => h('option', { value: t }, t)));
  const rclass = h('select', { id: 'repo-class' }, CLASSES.map(([v, l]) => h('option', { value: v }, l)));
  const url = h('input', { type: 'url', id: 'repo-url' });
  const user = h('input', { type: 'text', id: 'repo-username', autocomplete: 'off' });
  const pass = h('input', { type: 'password', id: 'repo-password', autocomplete: 'new-password' });
  const cache = h('input', { type: 'number', id: 'repo-cache-seconds', min: 0, value: 600 });
  const offline = checkbox('Offline: serve only what is cached', { id: 'repo-offline' });
  const members = h('input', { type: 'text', id: 'repo-members' });
  const deploy = h('input', { type: 'text', id: 'repo-deploy' });
  const include = h('textarea', { id: 'repo-include', rows: 2 }, '**');
  const exclude = h('textarea', { id: 'repo-exclude', rows: 2 });
  const title = h('h2', {}, 'Create a repository');
  const submit = h('button', { type: 'submit', class: 'primary', id: 'repo-create' }, 'Create repository');
  const cancel = h('button', { type: 'button', id: 'repo-cancel', hidden: true }, 'Cancel');
  const remoteBox = h('fieldset', { id: 'repo-remote' }, h('legend', {}, 'Upstream'),
    h('div', { class: 'row' }, field('URL', url, 'The upstream repository, http or https.'),
      field('Cache metadata for (seconds)', cache, 'maven-metadata.xml is asked again after this.')),
    h('div', { class: 'row' }, field('Upstream user', user, 'Optional.'),
      field('Upstream password', pass, 'Write-only: stored encrypted, never shown again. Leave empty to keep it.')),
    offline);
  const virtualBox = h('fieldset', { id: 'repo-virtual' }, h('legend', {}, 'Members'),
    h('div', { class: 'row' }, field('Members, in order', members, 'Comma-separated local or remote repositories of the same type.'),
      field('Deploy to', deploy, 'A local member that receives uploads; empty: uploads are refused.')));
  const form = h('form', { class: 'card', id: 'repo-form' }, title,
    h('div', { class: 'row' }, field('Name', name, 'Letters, digits, ".", "_" and "-".'), field('Description', desc)),
    h('div', { class: 'row' }, field('Package type', type, 'Fixed once created.'), field('Class', rclass, 'Fixed once created.')),
    remoteBox, virtualBox,
    h('div', { class: 'row' }, field('Include patterns', include, 'One per line: the paths a virtual asks it for, or a remote fetches.'),
      field('Exclude patterns', exclude, 'One per line.')),
    h('p', { class: 'hint' }, 'New repositories are private: nobody but administrators can use them until a permission target or the public switch says so.'),
    h('div', { class: 'actions' }, submit, cancel));
  let editing = null;
  const showClass = () => {
    remoteBox.hidden = rclass.value !== 'remote';
    virtualBox.hidden = rclass.value !== 'virtual';
  };
  rclass.addEventListener('change', showClass);
  showClass();

  function reset() {
    editing = null;
    form.reset();
    name.disabled = type.disabled = rclass.disabled = false;
    title.textContent = 'Create a repository';
    submit.textContent = 'Create repository';
    cancel.hidden = true;
    showClass();
  }
  cancel.addEventListener('click', reset);

  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const body = { description: desc.value, includePatterns: lines(include.value), excludePatterns: lines(exclude.value) };
    if (!editing) Object.assign(body, { packageType: type.value, rclass: rclass.value });
    if (rclass.value === 'remote') {
      Object.assign(body, { url: url.value.trim(), cacheSeconds: Number(cache.value), offline: offline.querySelector('input').checked });
      if (user.value.trim() || pass.value) Object.assign(body, { username: user.value.trim() });
      if (pass.value) body.password = pass.value;
    }
    if (rclass.value === 'virtual') {
      body.repositories = csv(members.value);
      if (deploy.value.trim()) body.defaultDeployRepo = deploy.value.trim();
    }
    const n = name.value.trim();
    try {
      await api('PUT', '/api/repositories/' + enc(n), body);
      message(msg, `Repository "${n}" ${editing ? 'saved' : 'created'}.`, 'ok');
      reset();
      await onSaved();
    } catch (e) { message(msg, e.message, 'error'); }
  });

  /** Loads a repository into the form to change its settings. */
  function edit(r) {
    editing = r;
    name.value = r.name; desc.value = r.description || '';
    type.value = r.packageType; rclass.value = r.rclass;
    name.disabled = type.disabled = rclass.disabled = true;
    url.value = r.url || ''; cache.value = r.cacheSeconds ?? 600; user.value = ''; pass.value = '';
    offline.querySelector('input').checked = !!r.offline;
    members.value = (r.repositories || []).join(', '); deploy.value = r.defaultDeployRepo || '';
    include.value = (r.includePatterns || ['**']).join('\n'); exclude.value = (r.excludePatterns || []).join('\n');
    title.textContent = `Settings of "${r.name}"`;
    submit.textContent = 'Save settings';
    cancel.hidden = false;
    showClass();
    form.scrollIntoView();
  }
  return { form, edit };
}

function kind(r) {
  const what = r.rclass === 'remote' ? `remote of ${r.url}` : r.rclass === 'virtual' ? `virtual over ${(r.repositories || []).join(', ')}` : 'local';
  return `${r.packageType}, ${what}`;
}

export async function adminReposPage(root) {
  const msg = root.querySelector('#page-message');
  const list = h('div', { id: 'admin-repos' });
  const { form, edit } = repoForm(load, msg);

  async function setPublic(r, value) {
    const ok = value
      ? await confirmDialog(`Make "${r.name}" public?`,
        `Anyone who can reach this server, without any credentials, will be able to list every folder and download every file `
        + `in "${r.name}" — including files uploaded later — and see its file names, checksums and properties. `
        + 'It grants nothing else: no uploads, deletes or property changes.', 'Make public', true)
      : await confirmDialog(`Make "${r.name}" private?`, 'Requests without credentials will get 401 for this repository again.', 'Make private');
    if (!ok) return;
    try {
      await api('PUT', '/api/repositories/' + enc(r.name), { anonymousRead: value });
      message(msg, `"${r.name}" is now ${value ? 'public (anonymous read)' : 'private'}.`, 'ok');
      await load();
    } catch (e) { message(msg, e.message, 'error'); }
  }

  async function showCache(r, cell) {
    try {
      const c = await api('GET', `/api/repositories/${enc(r.name)}/cache`);
      clear(cell).append(h('span', { id: 'cache-' + r.name }, `${c.files} files, ${size(c.bytes)}`), ' ', h('button', {
        type: 'button', class: 'danger', id: 'purge-' + r.name,
        onclick: async () => {
          if (!await confirmDialog(`Purge the cache of "${r.name}"?`, 'Every cached file is deleted; the next request fetches it from the upstream again.', 'Purge', true)) return;
          try {
            await api('DELETE', `/api/repositories/${enc(r.name)}/cache`);
            message(msg, `The cache of "${r.name}" is empty.`, 'ok');
            await showCache(r, cell);
          } catch (e) { message(msg, e.message, 'error'); }
        }
      }, 'Purge cache'));
    } catch (e) { message(msg, e.message, 'error'); }
  }

  async function load() {
    const repos = await api('GET', '/api/repositories');
    clear(list).append(repos.length === 0 ? h('p', { class: 'muted' }, 'No repositories yet.') : table(
      ['Name', 'Kind', 'Description', 'Anonymous read', ''],
      repos.map(r => {
        const cacheCell = h('div', { class: 'cache' });
        if (r.rclass === 'remote') {
          cacheCell.append(h('button', { type: 'button', id: 'show-cache-' + r.name, onclick: () => showCache(r, cacheCell) }, 'Cache…'));
        }
        return h('tr', { dataset: { repo: r.name } },
          h('td', {}, h('a', { href: '#/browse/' + enc(r.name) }, r.name)),
          h('td', { class: 'kind' }, kind(r)),
          h('td', {}, r.description || ''),
          h('td', {}, r.anonymousRead ? h('span', { class: 'badge public' }, 'public') : h('span', { class: 'badge' }, 'private'), ' ',
            h('button', {
              type: 'button', class: r.anonymousRead ? '' : 'public-toggle', id: 'toggle-public-' + r.name,
              onclick: () => setPublic(r, !r.anonymousRead)
            }, r.anonymousRead ? 'Make private' : 'Make public')),
          h('td', {}, h('button', { type: 'button', id: 'edit-' + r.name, 'aria-label': `Settings of ${r.name}`, onclick: () => edit(r) }, 'Settings'),
            ' ', h('button', {
              type: 'button', class: 'danger', 'aria-label': `Delete repository ${r.name}`,
              onclick: async () => {
                if (!await confirmDialog(`Delete "${r.name}"?`, 'The repository and every file in it are deleted. This cannot be undone.', 'Delete', true)) return;
                try { await api('DELETE', '/api/repositories/' + enc(r.name)); await load(); } catch (e) { message(msg, e.message, 'error'); }
              }
            }, 'Delete'), cacheCell));
      }), { id: 'admin-repos-table' }));
  }
  root.append(h('h1', {}, 'Repositories'), form, h('section', { class: 'card' }, h('h2', {}, 'All repositories'), list));
  await load();
}
