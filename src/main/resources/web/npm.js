// npm repositories by package and version (API.md §10): the packages the caller may read (the
// registry's search route), a package's dist-tags, versions and readme, a version's details, and
// tarball downloads. Everything a package publishes is text here: the readme is never parsed as HTML.
import { h, add, message, table, time, pre } from './dom.js';
import { api, download } from './api.js';
import { setupPanel } from './npmsetup.js';

const enc = encodeURIComponent;
/** The search route answers at most this many per call; the list stops after LIMIT packages. */
const PAGE = 250, LIMIT = 5000;

/** A package name as a URL path: each part encoded, a scope's '@' kept ('@acme/web'), as the registry routes take it. */
export function npmPath(name) {
  return name.split('/').map(s => enc(s).replace(/^%40/, '@')).join('/');
}

export function registryPath(repo) { return '/api/npm/' + enc(repo) + '/'; }

function href(repo, name, version) {
  return '#/npm/' + enc(repo) + (name ? '/' + npmPath(name) : '') + (version ? '/' + enc(version) : '');
}

/** #/npm/{repo}[/{name}[/{version}]], where a scoped name is two segments (@scope/name). */
export async function npmPage(root, rest, me) {
  const segs = rest.filter(s => s !== '').map(s => { try { return decodeURIComponent(s); } catch (e) { return s; } });
  if (segs.length === 0) { location.hash = '#/browse'; return; }
  const repo = segs[0];
  const parts = segs.length > 1 && segs[1].startsWith('@') ? 2 : 1;
  const name = segs.slice(1, 1 + parts).join('/');
  const version = segs[1 + parts];
  if (!name) return packages(root, repo, me);
  const doc = await api('GET', registryPath(repo) + npmPath(name));
  if (version) return versionPage(root, repo, doc, version);
  return packagePage(root, repo, doc);
}

function crumbs(repo, name, version) {
  const last = version || name || repo;
  const item = (label, target) => h('li', {}, label === last ? h('span', { 'aria-current': 'page' }, label) : h('a', { href: target }, label));
  return h('nav', { 'aria-label': 'Breadcrumbs' }, h('ol', { class: 'crumbs' },
    item('Repositories', '#/browse'), item(repo, href(repo)), name ? item(name, href(repo, name)) : null,
    version ? item(version, href(repo, name, version)) : null));
}

/**
 * What the repository is. A virtual one has no files of its own (its storage folder is empty, so
 * "Browse its files" showed nothing): it names its members instead. Without its settings, a plain registry.
 */
function about(repo, info) {
  if (info && info.rclass === 'virtual') {
    const members = (info.repositories || []).map((m, i) => [i ? ', ' : null, h('a', { href: href(m) }, m)]);
    return h('p', { id: 'npm-about' }, 'A virtual npm registry over ', members, '. ',
      h('span', { class: 'hint' }, 'The list has the packages of its local members; upstream registries are not searched.'));
  }
  return h('p', { id: 'npm-about' }, 'An npm registry. ', h('a', { href: '#/browse/' + enc(repo) }, 'Browse its files'), ' instead.');
}

async function packages(root, repo, me) {
  const info = api('GET', '/api/repositories/' + enc(repo)).catch(() => null);
  const hits = [];
  let total = 0;
  for (let from = 0; from < LIMIT;) {
    const r = await api('GET', `${registryPath(repo)}-/v1/search?text=&size=${PAGE}&from=${from}`);
    hits.push(...r.objects);
    total = r.total;
    from += r.objects.length;
    if (r.objects.length === 0 || from >= total) break;
  }
  root.append(h('h1', {}, repo), crumbs(repo), about(repo, await info));
  setupPanel(root, repo, me);
  root.append(h('h2', {}, 'Packages'));
  if (hits.length === 0) { root.append(h('p', { class: 'muted', id: 'npm-no-packages' }, 'There is no package here that you may read.')); return; }
  if (total > hits.length) root.append(h('p', { class: 'hint' }, `The first ${hits.length} of ${total} packages, by name.`));
  root.append(table(['Package', 'Latest', 'Description', 'Updated'], hits.map(o => h('tr', {},
    h('td', {}, h('a', { href: href(repo, o.package.name), class: 'npm-package-link' }, o.package.name)),
    h('td', { class: 'mono' }, o.package.version),
    h('td', {}, o.package.description || ''),
    h('td', {}, time(o.package.date)))), { id: 'npm-packages' }));
}

/** Tag names by version. */
function tagsOf(doc) {
  const by = {};
  for (const [tag, v] of Object.entries(doc['dist-tags'] || {})) (by[v] = by[v] || []).push(tag);
  return by;
}

/** A link to a version's tarball: its registry URL as href (for curl), downloaded with this tab's credentials. */
function tarballLink(root, repo, doc, manifest) {
  const url = (manifest.dist && manifest.dist.tarball) || '';
  const file = url.slice(url.lastIndexOf('/') + 1);
  const path = registryPath(repo) + npmPath(doc.name) + '/-/' + enc(file);
  const msg = root.querySelector('#page-message');
  return h('a', {
    href: path, class: 'tarball-link', download: file, dataset: { version: manifest.version },
    onclick: async ev => {
      ev.preventDefault();
      try { await download(path, file); } catch (e) { message(msg, e.message, 'error'); }
    }
  }, file);
}

function packagePage(root, repo, doc) {
  const versions = Object.keys(doc.versions || {}).reverse();
  const tags = tagsOf(doc);
  const t = doc.time || {};
  root.append(h('h1', {}, doc.name), crumbs(repo, doc.name),
    doc.description ? h('p', { id: 'npm-description' }, doc.description) : null,
    h('dl', { class: 'info card' },
      h('dt', {}, 'Latest'), h('dd', { class: 'mono' }, (doc['dist-tags'] || {}).latest || '—'),
      h('dt', {}, 'Created'), h('dd', {}, time(t.created)),
      h('dt', {}, 'Last modified'), h('dd', {}, time(t.modified))),
    pre(`npm install ${doc.name}`, 'npm install command'),
    h('h2', {}, 'Dist-tags'),
    table(['Tag', 'Version'], Object.entries(doc['dist-tags'] || {}).map(([tag, v]) => h('tr', {},
      h('td', { class: 'mono' }, tag), h('td', {}, h('a', { href: href(repo, doc.name, v), class: 'mono' }, v)))), { id: 'npm-dist-tags' }),
    h('h2', {}, 'Versions'),
    table(['Version', 'Published', 'Tags', 'Tarball'], versions.map(v => h('tr', { dataset: { version: v } },
      h('td', {}, h('a', { href: href(repo, doc.name, v), class: 'mono npm-version-link' }, v),
        doc.versions[v].deprecated ? h('span', { class: 'badge no' }, 'deprecated') : null),
      h('td', {}, time(t[v])),
      h('td', { class: 'mono' }, (tags[v] || []).join(', ')),
      h('td', {}, tarballLink(root, repo, doc, doc.versions[v])))), { id: 'npm-versions' }),
    h('h2', {}, 'Readme'),
    doc.readme ? h('pre', { class: 'readme', id: 'npm-readme', tabindex: '0' }, doc.readme)
      : h('p', { class: 'muted', id: 'npm-readme' }, 'This package has no readme.'));
}

function versionPage(root, repo, doc, version) {
  const m = (doc.versions || {})[version];
  root.append(h('h1', {}, `${doc.name}@${version}`), crumbs(repo, doc.name, version));
  if (!m) { root.append(h('p', { class: 'muted' }, `${doc.name} has no version ${version}.`)); return; }
  const dist = m.dist || {};
  const deps = Object.entries(m.dependencies || {});
  add(root, m.deprecated ? h('p', { class: 'warning', id: 'npm-deprecated' }, 'Deprecated: ', m.deprecated) : null,
    m.description ? h('p', {}, m.description) : null,
    h('dl', { class: 'info card', id: 'npm-version-info' },
      h('dt', {}, 'Published'), h('dd', {}, time((doc.time || {})[version])),
      h('dt', {}, 'Dist-tags'), h('dd', { class: 'mono' }, (tagsOf(doc)[version] || []).join(', ') || '—'),
      h('dt', {}, 'Integrity'), h('dd', { class: 'mono' }, dist.integrity || '—'),
      h('dt', {}, 'SHA-1'), h('dd', { class: 'mono' }, dist.shasum || '—'),
      h('dt', {}, 'License'), h('dd', {}, typeof m.license === 'string' ? m.license : '—'),
      h('dt', {}, 'Tarball'), h('dd', {}, tarballLink(root, repo, doc, m))),
    pre(`npm install ${doc.name}@${version}`, 'npm install command'),
    h('h2', {}, 'Dependencies'),
    deps.length === 0 ? h('p', { class: 'muted' }, 'No dependencies.')
      : table(['Package', 'Range'], deps.map(([d, range]) => h('tr', {}, h('td', { class: 'mono' }, d),
        h('td', { class: 'mono' }, String(range)))), { id: 'npm-dependencies' }));
}
