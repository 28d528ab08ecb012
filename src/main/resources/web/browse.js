// Repository browser: repositories the caller can see, folders, file details, download and snippets.
import { h, add, clear, message, table, time, size, pre, encodePath } from './dom.js';
import { api, download } from './api.js';

function browseHref(repo, path) {
  return '#/browse/' + encodeURIComponent(repo) + (path ? '/' + encodePath(path) : '');
}

export async function browsePage(root, rest, me) {
  const segs = rest.filter(s => s !== '').map(s => { try { return decodeURIComponent(s); } catch (e) { return s; } });
  if (segs.length === 0) return repositories(root, me);
  return entry(root, segs[0], segs.slice(1).join('/'), me);
}

async function repositories(root, me) {
  const repos = await api('GET', '/api/repositories');
  root.append(h('h1', {}, me ? 'Repositories' : 'Public repositories'));
  if (!me) root.append(h('p', {}, 'These repositories can be read without credentials. ', h('a', { href: '#/login' }, 'Log in'), ' to see more.'));
  if (repos.length === 0) { root.append(h('p', { class: 'muted' }, 'There is no repository you can see.')); return; }
  root.append(table(['Name', 'Description', 'Access'], repos.map(r => h('tr', {},
    // npm repositories open on their packages (npm.js); their files stay reachable from there
    h('td', {}, h('a', { href: r.packageType === 'npm' ? '#/npm/' + encodeURIComponent(r.name) : browseHref(r.name, ''), class: 'repo-link' }, r.name),
      r.packageType && r.packageType !== 'generic' ? [' ', h('span', { class: 'badge' }, r.packageType)] : null),
    h('td', {}, r.description || ''),
    h('td', {}, r.anonymousRead ? h('span', { class: 'badge public' }, 'public: anyone may read') : h('span', { class: 'badge' }, 'private')))),
    { id: 'repos-table' }));
}

function crumbs(repo, path) {
  const parts = path ? path.split('/') : [];
  const items = [h('li', {}, h('a', { href: '#/browse' }, 'Repositories')),
    h('li', {}, parts.length ? h('a', { href: browseHref(repo, '') }, repo) : h('span', { 'aria-current': 'page' }, repo))];
  parts.forEach((p, i) => {
    const sub = parts.slice(0, i + 1).join('/');
    items.push(h('li', {}, i === parts.length - 1 ? h('span', { 'aria-current': 'page' }, p) : h('a', { href: browseHref(repo, sub) }, p)));
  });
  return h('nav', { 'aria-label': 'Breadcrumbs' }, h('ol', { class: 'crumbs' }, items));
}

async function entry(root, repo, path, me) {
  const url = '/api/storage/' + encodeURIComponent(repo) + (path ? '/' + encodePath(path) : '');
  const info = await api('GET', url);
  root.append(h('h1', {}, path ? path.split('/').pop() : repo), crumbs(repo, path));
  if (info.folder) return folder(root, repo, path, info);
  return file(root, repo, path, info, me);
}

function folder(root, repo, path, info) {
  const children = (info.children || []).slice().sort((a, b) => (b.folder - a.folder) || a.name.localeCompare(b.name));
  if (children.length === 0) { root.append(h('p', { class: 'muted' }, 'This folder is empty.')); return; }
  root.append(table(['Name', 'Kind'], children.map(c => h('tr', {},
    h('td', {}, h('a', { href: browseHref(repo, path ? path + '/' + c.name : c.name), class: c.folder ? 'folder-link' : 'file-link' },
      c.name + (c.folder ? '/' : ''))),
    h('td', {}, c.folder ? 'folder' : 'file'))), { id: 'children-table' }));
}

/** group/artifact/version/file → Maven coordinates, when the path looks like a Maven layout. */
export function mavenCoordinates(path) {
  const p = path.split('/');
  if (p.length < 4) return null;
  const [version, artifact] = [p[p.length - 2], p[p.length - 3]];
  const name = p[p.length - 1];
  if (!name.startsWith(artifact + '-' + version)) return null;
  const tail = name.slice((artifact + '-' + version).length);
  const m = /^(?:-([^.]+))?\.(.+)$/.exec(tail);
  if (!m) return null;
  return { groupId: p.slice(0, p.length - 3).join('.'), artifactId: artifact, version, classifier: m[1], type: m[2] };
}

function file(root, repo, path, info, me) {
  const origin = location.origin;
  const contentUrl = '/repository/' + encodeURIComponent(repo) + '/' + encodePath(path);
  const name = path.split('/').pop();
  const msg = root.querySelector('#page-message');
  const props = Object.entries(info.properties || {});
  const c = info.checksums || {};
  root.append(h('dl', { class: 'info card', id: 'file-info' },
    h('dt', {}, 'Repository'), h('dd', {}, repo),
    h('dt', {}, 'Path'), h('dd', { class: 'mono' }, path),
    h('dt', {}, 'Size'), h('dd', { id: 'file-size' }, size(info.size)),
    h('dt', {}, 'Created'), h('dd', {}, time(info.created) + (info.createdBy ? ' by ' + info.createdBy : '')),
    h('dt', {}, 'Last modified'), h('dd', {}, time(info.lastModified)),
    h('dt', {}, 'SHA-256'), h('dd', { class: 'mono', id: 'file-sha256' }, c.sha256 || '—'),
    h('dt', {}, 'SHA-1'), h('dd', { class: 'mono' }, c.sha1 || '—'),
    h('dt', {}, 'MD5'), h('dd', { class: 'mono' }, c.md5 || '—')));
  root.append(h('h2', {}, 'Properties'), props.length === 0 ? h('p', { class: 'muted' }, 'No properties.')
    : table(['Name', 'Values'], props.map(([k, v]) => h('tr', {}, h('td', { class: 'mono' }, k), h('td', { class: 'mono' }, [].concat(v).join(', '))))));
  root.append(h('div', { class: 'actions' }, h('button', {
    type: 'button', class: 'primary', id: 'download',
    onclick: async () => {
      try { await download(contentUrl, name); } catch (e) { message(msg, e.message, 'error'); }
    }
  }, 'Download ' + name)));
  const auth = me ? '-H "X-Auth-AccessKey: $COFFER_KEY" ' : '';
  add(root, h('h2', {}, 'curl'),
    pre(`curl -fSL ${auth}-o ${shellQuote(name)} ${shellQuote(origin + contentUrl)}`, 'curl download command'),
    me ? h('p', { class: 'hint' }, 'Set COFFER_KEY to one of your ', h('a', { href: '#/keys' }, 'personal access keys'), '.') : null);
  const coords = mavenCoordinates(path);
  root.append(h('h2', {}, 'Maven'));
  if (coords) {
    root.append(pre(['<dependency>', `  <groupId>${xml(coords.groupId)}</groupId>`, `  <artifactId>${xml(coords.artifactId)}</artifactId>`,
      `  <version>${xml(coords.version)}</version>`,
      coords.classifier ? `  <classifier>${xml(coords.classifier)}</classifier>` : null,
      coords.type !== 'jar' ? `  <type>${xml(coords.type)}</type>` : null, '</dependency>'].filter(Boolean).join('\n'), 'Maven dependency'));
  }
  root.append(pre(['<repository>', '  <id>coffer</id>', `  <url>${xml(origin + '/repository/' + encodeURIComponent(repo) + '/')}</url>`,
    '</repository>'].join('\n'), 'Maven repository'));
  if (me) {
    root.append(pre(['<!-- ~/.m2/settings.xml -->', '<server>', '  <id>coffer</id>', `  <username>${xml(me.username)}</username>`,
      '  <password>your personal access key</password>', '</server>'].join('\n'), 'Maven settings server'));
  }
}

function shellQuote(s) { return "'" + s.replace(/'/g, "'\\''") + "'"; }
function xml(s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }
