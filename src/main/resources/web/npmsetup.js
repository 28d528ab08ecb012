// "Set me up" for an npm repository: the .npmrc lines for this registry at the address this
// browser uses, and on request a fresh personal access key filled into them. The key lives only in
// this panel (never in storage or the URL) and is gone once the panel is closed: shown once.
import { h, clear, field, message, pre } from './dom.js';
import { api } from './api.js';

export const KEY_DESCRIPTION = 'npm (web UI)';
const PLACEHOLDER = '<your access key>';

/**
 * The .npmrc lines: the registry (for every package, or for one scope's) and, when `withToken`,
 * its _authToken line, keyed by npm's "nerf dart" (the registry URL without its scheme).
 */
export function npmrcLines(origin, repo, scope, key, withToken) {
  const registry = `${origin}/api/npm/${encodeURIComponent(repo)}/`;
  const lines = [(scope ? scope + ':' : '') + 'registry=' + registry];
  if (withToken) lines.push(`${registry.replace(/^[a-z]+:/, '')}:_authToken=${key || PLACEHOLDER}`);
  return lines.join('\n');
}

/** '@acme' from '@acme' or 'acme'; '' for none; null when it cannot be an npm scope. */
function scopeOf(text) {
  const s = text.trim().replace(/^@?/, '@');
  if (s === '@') return '';
  return /^@[a-z0-9][a-z0-9._~-]*$/.test(s) ? s : null;
}

export function setupPanel(root, repo, me) {
  const msg = root.querySelector('#page-message');
  const scope = h('input', { type: 'text', id: 'npm-setup-scope', placeholder: '@acme', autocomplete: 'off', spellcheck: 'false' });
  const lines = h('div', { id: 'npm-setup-lines' });
  const once = h('p', { class: 'warning', id: 'npm-setup-once', hidden: true }, h('strong', {}, 'Copy it now. '),
    'This is the only time this key is shown: Coffer keeps only a hash of it. Closing this panel forgets it; '
    + 'if you lose it, revoke it on the access keys page and create another.');
  const create = h('button', { type: 'button', class: 'primary', id: 'npm-setup-key' }, 'Create an access key for npm');
  const close = h('button', { type: 'button', id: 'npm-setup-close' }, 'Close');
  const open = h('button', { type: 'button', id: 'npm-setup-open', 'aria-expanded': 'false', 'aria-controls': 'npm-setup' }, 'Set me up');
  let key = null;

  const render = () => {
    const s = scopeOf(scope.value);
    clear(lines).append(s === null ? h('p', { class: 'message error', role: 'alert' }, 'A scope is "@" and a lower-case npm name, e.g. @acme.')
      : pre(npmrcLines(location.origin, repo, s, key, !!me), '.npmrc lines'));
    once.hidden = !key;
    create.hidden = !me || !!key;
  };
  scope.addEventListener('input', render);

  create.addEventListener('click', async () => {
    create.disabled = true;
    try {
      const k = await api('POST', '/api/access-keys', { description: KEY_DESCRIPTION });
      key = k.key;
      render();
      once.focus();
    } catch (e) { message(msg, e.message, 'error'); } finally { create.disabled = false; }
  });

  const panel = h('section', { class: 'card', id: 'npm-setup', hidden: true, 'aria-labelledby': 'npm-setup-title' },
    h('h2', { id: 'npm-setup-title' }, 'Set me up'),
    h('p', {}, 'Point npm at this registry with these lines in your project\'s ', h('code', {}, '.npmrc'),
      ' (or ', h('code', {}, '~/.npmrc'), ').'),
    field('Only for one scope (optional)', scope, 'With a scope, only its packages come from here (@acme:registry=…); '
      + 'empty: every package does.'),
    lines, once,
    me ? h('p', { class: 'hint' }, 'The key acts with all of your rights; it is listed (and can be revoked) among your ',
      h('a', { href: '#/keys' }, 'access keys'), ` as "${KEY_DESCRIPTION}". A scoped access token works as _authToken too.`)
      : h('p', { class: 'hint' }, 'Reading needs no key where the repository is public. ', h('a', { href: '#/login' }, 'Log in'),
        ' to create a key for publishing.'),
    h('div', { class: 'actions' }, create, close));
  once.setAttribute('tabindex', '-1');

  open.addEventListener('click', () => {
    panel.hidden = false;
    open.hidden = true;
    open.setAttribute('aria-expanded', 'true');
    render();
    scope.focus();
  });
  close.addEventListener('click', () => {
    key = null; // forgotten: the DOM that showed it is rebuilt without it
    scope.value = '';
    render();
    panel.hidden = true;
    open.hidden = false;
    open.setAttribute('aria-expanded', 'false');
    open.focus();
  });
  root.append(h('div', { class: 'actions' }, open), panel);
}
