// Talking to the three APIs with the user's bearer token. Every failure becomes one of three errors the views
// show in the user's language: SignedOut (401: sign in again, then the same call is retried), ServiceDown (no
// answer, or a 5xx: the banner names the service) and Problem (the API's problem+json: its type, status, fields).

export const session = { config: null, token: null, me: null, reauthenticate: null };

export class SignedOut extends Error {}
export class ServiceDown extends Error {
  constructor(service, reason) { super(`${service}: ${reason}`); this.service = service; this.reason = reason; }
}
export class Problem extends Error {
  constructor(service, status, body) {
    super(body.detail || `HTTP ${status}`);
    this.service = service;
    this.status = status;
    this.type = String(body.type || "").split("/").pop() || "error";
    this.errors = body.errors || null;
    this.cells = body.cells || null;
    this.body = body;
  }
}

const etagOf = (response) => response.headers.get("ETag");

async function once(service, path, { method = "GET", json, body, contentType, etag, accept } = {}) {
  const headers = { Authorization: `Bearer ${session.token}` };
  if (json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(json); }
  if (contentType) headers["Content-Type"] = contentType;
  if (etag) headers["If-Match"] = etag;
  if (accept) headers.Accept = accept;
  try {
    return await fetch(`${session.config.apis[service]}/api/v1${path}`, { method, headers, body });
  } catch (err) {
    throw new ServiceDown(service, "no answer");
  }
}

/** One call; answers {data, etag, response}. A 401 asks the user to sign in again and makes the same call with
 * the new token, for as long as the token given is refused: the action waits, it is never lost. */
export async function call(service, path, options = {}) {
  let sentWith = session.token;
  let response = await once(service, path, options);
  while (response.status === 401 && session.reauthenticate) {
    const detail = (await response.json().catch(() => ({}))).detail || "";
    // Signed in again meanwhile (another call asked): try the new token before asking once more.
    if (session.token === sentWith) await session.reauthenticate(detail);
    sentWith = session.token;
    response = await once(service, path, options);
  }
  if (response.status === 401) throw new SignedOut((await response.json().catch(() => ({}))).detail || "");
  if (response.status >= 500) throw new ServiceDown(service, `HTTP ${response.status}`);
  if (options.blob && response.ok) return { data: await response.blob(), etag: etagOf(response), response };
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Problem(service, response.status, data);
  return { data, etag: etagOf(response), response };
}

export const get = async (service, path) => (await call(service, path)).data;

/** A read where 404 is an answer too ("nothing recorded yet"). */
export async function maybe(service, path) {
  try { return await get(service, path); } catch (err) { if (err instanceof Problem && err.status === 404) return null; throw err; }
}

/** Every item of a paged list (pages of 100). */
export async function all(service, path) {
  const items = [];
  for (let page = 1; ; page += 1) {
    const body = await get(service, `${path}${path.includes("?") ? "&" : "?"}page=${page}&page_size=100`);
    items.push(...body.items);
    if (items.length >= body.total || !body.items.length) return items;
  }
}

/** A file from the API (reports, templates) saved under `name`: fetched with the token, never put in a link. */
export async function download(service, path, name) {
  const { data } = await call(service, path, { blob: true });
  const url = URL.createObjectURL(data);
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
