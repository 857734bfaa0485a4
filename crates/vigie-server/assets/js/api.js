// The UI's only way to records: the JSON API under /api/v1, with the session cookie.
// Nothing here (or anywhere in the UI) decides what a user may see: the server's gate does.

const BASE = '/api/v1';
const CSRF_KEY = 'vigie.csrf';

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.body = body;
  }
}

export function csrf() { return localStorage.getItem(CSRF_KEY) || ''; }
export function setCsrf(token) {
  if (token) localStorage.setItem(CSRF_KEY, token); else localStorage.removeItem(CSRF_KEY);
}

/** The query string of a filter object (empty values left out). */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function url(path, params = {}) { return `${BASE}${path}${qs(params)}`; }

export async function api(path, { method = 'GET', params, body, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf();
  const r = await fetch(url(path, params), {
    method, headers, signal, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 204) return null;
  let data = null;
  try { data = await r.json(); } catch { data = null; }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

// Answers to reads are kept for a minute, for this session only, so that switching language
// or screen does not fetch the same data again. Signing in or out forgets them.
const CACHE_MS = 60000;
const cache = new Map();
export function forget() { cache.clear(); }
export function get(path, params, signal) {
  const key = url(path, params);
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  const value = api(path, { params, signal });
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  return value;
}
