// The JSON API client. The session token and user id live in this tab's sessionStorage (no
// cookies, so no CSRF surface) and go out as X-Auth-Token + X-Auth-UserId on every call.

const KEY = 'coffer.session';

export function session() {
  try { return JSON.parse(sessionStorage.getItem(KEY)); } catch (e) { return null; }
}

export function saveSession(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** Called when a call made with our session answers 401: the session has ended. */
let onSessionEnded = () => {};
export function setSessionEndedHandler(fn) { onSessionEnded = fn; }

export function authHeaders() {
  const s = session();
  return s ? { 'X-Auth-Token': s.token, 'X-Auth-UserId': String(s.userId) } : {};
}

/** api('GET', '/api/me') → parsed JSON (or null for 204); throws ApiError. */
export async function api(method, path, body, options) {
  const opts = options || {};
  const headers = Object.assign({ Accept: 'application/json' }, opts.anonymous ? {} : authHeaders());
  let payload;
  if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'network', 'Coffer could not be reached: ' + e.message);
  }
  const text = await resp.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = text; }
  }
  if (!resp.ok) {
    // Coffer's {error:{status,code,message}}, or the npm routes' {error:"<sentence>", code, status}
    const err = data && typeof data.error === 'string' ? { code: data.code, message: data.error }
      : data && data.error ? data.error : {};
    const retry = resp.headers.get('Retry-After');
    const e = new ApiError(resp.status, err.code || 'http_' + resp.status,
      err.message || `${method} ${path} answered ${resp.status}`, retry ? Number(retry) : null);
    if (resp.status === 401 && session() && !opts.noSessionCheck) onSessionEnded(e);
    throw e;
  }
  return data;
}

/** Fetches a file with the session's credentials and saves it through a Blob URL. */
export async function download(url, filename) {
  const resp = await fetch(url, { headers: authHeaders(), credentials: 'omit' });
  if (!resp.ok) throw new ApiError(resp.status, 'http_' + resp.status, `download answered ${resp.status}`);
  const blob = await resp.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}
