// The shell: hash routes, login/logout, navigation. Pages live in account.js, browse.js, npm.js, admin.js, repos.js.
import { h, clear, field, message } from './dom.js';
import { api, session, saveSession, clearSession, setSessionEndedHandler, ApiError } from './api.js';
import { keysPage, tokensPage, passwordPage } from './account.js';
import { browsePage } from './browse.js';
import { npmPage } from './npm.js';
import { adminReposPage } from './repos.js';
import { adminUsersPage, adminGroupsPage, adminPermissionsPage, auditPage, accessCheckPage } from './admin.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

export const state = { me: null, flash: null };

const pages = {
  'login': { render: loginPage, title: 'Log in', open: true },
  'keys': { render: keysPage, title: 'Access keys' },
  'tokens': { render: tokensPage, title: 'Access tokens' },
  'password': { render: passwordPage, title: 'Password' },
  'browse': { render: browsePage, title: 'Repositories', open: true },
  'npm': { render: npmPage, title: 'npm packages', open: true, nav: 'browse' },
  'admin/repositories': { render: adminReposPage, title: 'Admin: repositories', admin: true },
  'admin/users': { render: adminUsersPage, title: 'Admin: users', admin: true },
  'admin/groups': { render: adminGroupsPage, title: 'Admin: groups', admin: true },
  'admin/permissions': { render: adminPermissionsPage, title: 'Admin: permission targets', admin: true },
  'admin/audit': { render: auditPage, title: 'Admin: audit log', admin: true },
  'admin/access': { render: accessCheckPage, title: 'Admin: who can access', admin: true },
};

/** Shows a message on the next page rendered (e.g. after a redirect to the login page). */
export function flash(text, kind) { state.flash = { text, kind }; }

export function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

setSessionEndedHandler(() => {
  clearSession();
  state.me = null;
  flash('Your session has ended (it expired, was logged out, or the password changed). Please log in again.', 'error');
  go('#/login');
});

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const parts = raw.split('/');
  if (parts[0] === 'admin') return { page: parts.slice(0, 2).join('/'), rest: parts.slice(2) };
  return { page: parts[0], rest: parts.slice(1) };
}

async function loadMe() {
  if (!session()) { state.me = null; return; }
  try {
    const me = await api('GET', '/api/me');
    state.me = me.authenticatedBy === 'anonymous' ? null : me;
  } catch (e) {
    state.me = null;
  }
}

function renderNav(current) {
  clear(nav);
  clear(who);
  const link = (page, label) => h('a', { href: '#/' + page, 'aria-current': current === page ? 'page' : null }, label);
  if (state.me) {
    nav.append(link('browse', 'Repositories'), link('keys', 'Access keys'), link('tokens', 'Access tokens'),
      link('password', 'Password'));
    if (state.me.admin) {
      nav.append(h('span', { class: 'sep', 'aria-hidden': 'true' }, '|'),
        link('admin/repositories', 'Admin: repositories'), link('admin/users', 'Users'), link('admin/groups', 'Groups'),
        link('admin/permissions', 'Permissions'), link('admin/audit', 'Audit log'), link('admin/access', 'Who can access'));
    }
    nav.hidden = false;
    who.append(h('span', {}, 'Signed in as ', h('strong', { id: 'who-name' }, state.me.username)),
      h('button', { type: 'button', id: 'logout', class: 'link', onclick: logout }, 'Log out'));
  } else {
    nav.append(link('browse', 'Public repositories'), link('login', 'Log in'));
    nav.hidden = false;
  }
}

let routing = 0;
export async function route() {
  const mine = ++routing;
  const { page, rest } = parseHash();
  await loadMe();
  if (mine !== routing) return;
  let name = page;
  if (!pages[name]) name = state.me ? 'keys' : 'login';
  const p = pages[name];
  if (!p.open && !state.me) {
    name = 'login';
  } else if (p.admin && !state.me.admin) {
    flash('That page is for administrators.', 'error');
    name = 'keys';
  } else if (name === 'login' && state.me) {
    name = 'keys';
  }
  const def = pages[name];
  document.title = def.title + ' · Coffer';
  renderNav(def.nav || name);
  clear(main);
  const msg = h('div', { id: 'page-message', hidden: true });
  main.append(msg);
  if (state.flash) { message(msg, state.flash.text, state.flash.kind); state.flash = null; }
  try {
    await def.render(main, rest, state.me);
  } catch (e) {
    message(msg, e instanceof ApiError ? e.message : String(e), 'error');
  }
  const h1 = main.querySelector('h1');
  if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
}

function loginPage(root) {
  const user = h('input', { type: 'text', id: 'login-username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { type: 'password', id: 'login-password', name: 'password', autocomplete: 'current-password', required: true });
  const out = h('div', { id: 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', id: 'login-submit', class: 'primary' }, 'Log in');
  const form = h('form', { class: 'card', id: 'login-form', 'aria-labelledby': 'login-title' },
    field('User name', user), field('Password', pass), out, h('div', { class: 'actions' }, submit),
    h('p', { class: 'muted' }, 'No account? ', h('a', { href: '#/browse' }, 'Browse the public repositories'), '.'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    submit.disabled = true;
    message(out, '');
    try {
      const r = await api('POST', '/api/tokens', { username: user.value, password: pass.value }, { anonymous: true, noSessionCheck: true });
      saveSession({ token: r.token, userId: r.user_id, expiresAt: r.expiresAt });
      pass.value = '';
      go('#/keys');
    } catch (e) {
      if (e.status === 429) {
        const wait = e.retryAfter ? ` Try again in ${Math.ceil(e.retryAfter / 60)} minute(s) (${e.retryAfter} s).` : '';
        message(out, 'Too many failed logins: password login for this user is locked for a while.' + wait
          + ' Access keys and tokens keep working.', 'error');
      } else if (e.status === 401) {
        message(out, 'Wrong user name or password, or the account is disabled.', 'error');
      } else {
        message(out, e.message, 'error');
      }
      pass.focus();
    } finally {
      submit.disabled = false;
    }
  });
  root.append(h('h1', { id: 'login-title' }, 'Log in to Coffer'), form);
  user.focus();
}

async function logout() {
  const s = session();
  if (s) {
    try { await api('DELETE', '/api/tokens/' + encodeURIComponent(s.token), null, { noSessionCheck: true }); } catch (e) { /* ended anyway */ }
  }
  clearSession();
  state.me = null;
  flash('You are logged out.', 'ok');
  go('#/login');
}

window.addEventListener('hashchange', route);
route();
