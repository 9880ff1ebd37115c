// What every view uses to lay out the APIs' answers: escaping, lights with their names, charts with a text
// equivalent, errors in the user's language, and actions that keep the user's input whatever happens.

import { Problem, ServiceDown, SignedOut } from "./api.js";
import { has, label, t } from "./i18n.js";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
export const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An evidence link as a link: http(s) only (the API refuses others; the page does not rely on it). */
export const evidenceLinks = (evidence) => (evidence || []).map((e) => (/^https?:\/\//i.test(e.link)
  ? `<a href="${esc(e.link)}" rel="noopener noreferrer" target="_blank">${esc(e.title)}</a>` : esc(e.title)));

/** A traffic light, always with its name written next to it (colour is never the only sign). */
export const light = (name) => `<span class="light ${esc(name || "")}" aria-hidden="true"></span><span class="light-text">${
  esc(name ? label("light", name) : t("light.none"))}</span>`;

/** A category as the rule pack labels it (cards of version 1 without one show their grade). */
export const category = (score) => (score && score.category ? score.category.label : (score && score.grade) || "–");

export const charts = [];
export function chart(canvas, description, config) {
  if (!canvas) return;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", description);  // the table next to each chart holds every figure
  if (!window.Chart) return;
  charts.push(new window.Chart(canvas, { ...config, options: { animation: false, responsive: true, ...(config.options || {}) } }));
}

/** The sentence for an API's refusal: by its problem type, else by its status; with the fields it names. */
export function problemText(err) {
  if (err instanceof ServiceDown) return t("error.down", { service: t(`service.${err.service}`) });
  if (!(err instanceof Problem)) return t("error.unexpected", { detail: err.message });
  const key = has(`problem.${err.type}`) ? `problem.${err.type}` : has(`problem.status.${err.status}`)
    ? `problem.status.${err.status}` : "problem.other";
  const fields = Object.keys(err.errors || {}).map((f) => (has(`field.${f}`) ? t(`field.${f}`) : f));
  return fields.length ? `${t(key)} ${t("error.fields", { fields: fields.join(", ") })}` : t(key);
}

export function errorBox(err) {
  const cells = (err.cells || []).map((c) => `<li>${esc(c.sheet)} · ${esc(t("field.row"))} ${esc(c.row)} · ${esc(c.column)}: ${esc(c.reason)}</li>`);
  return `<div class="error" role="alert" data-problem="${esc(err.type || "")}">${esc(problemText(err))}${
    cells.length ? `<ul class="cells">${cells.join("")}</ul>` : ""}</div>`;
}

/** A sentence of the catalogue in `out`, announced: a refusal on the page (`error`) or a newer version (`conflict`). */
export function say(out, key, params = {}, kind = "error") {
  out.innerHTML = `<div class="${kind}" role="alert">${esc(t(key, params))}</div>`;
}

export function toast(message) {
  const box = $("#toast");
  box.textContent = message;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.textContent = ""; }, 6000);
}

export function showBanner(err) {
  const banner = $("#banner");
  banner.hidden = false;
  banner.dataset.service = err.service || "";
  banner.textContent = err instanceof ServiceDown ? t("banner.down", { service: t(`service.${err.service}`) })
    : t("error.unexpected", { detail: err.message });
}

/**
 * Run a user's action from `button`: errors are shown in `out` (the API's refusal) or in the banner (a service
 * not answering), and nothing the user typed is touched; `done` runs after success. A stale ETag (412) calls
 * `onStale` when given, which shows what changed and offers to retry.
 */
export async function act(button, out, action, { done, onStale } = {}) {
  button.disabled = true;
  out.innerHTML = "";
  try {
    const result = await action();
    if (done) await done(result);
    return result;
  } catch (err) {
    if (err instanceof SignedOut) throw err;
    if (err instanceof ServiceDown) { showBanner(err); out.innerHTML = errorBox(err); return undefined; }
    if (err instanceof Problem && err.status === 412 && onStale) {
      await Promise.resolve(onStale(err)).catch((again) => { out.innerHTML = errorBox(again); if (again instanceof ServiceDown) showBanner(again); });
      return undefined;
    }
    out.innerHTML = errorBox(err);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

/** Lines of a text area, trimmed, without the empty ones. */
export const lines = (text) => String(text || "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** Evidence typed one per line as "title | link" (or a bare link, titled by its number). */
export function evidenceOf(text) {
  return lines(text).map((line, n) => {
    const [first, second] = line.split("|").map((p) => p.trim());
    return second ? { title: first, link: second } : { title: t("entry.evidence_n", { n: n + 1 }), link: first };
  });
}
export const evidenceText = (evidence) => (evidence || []).map((e) => `${e.title} | ${e.link}`).join("\n");

export const options = (codes, group, selected) => codes.map((c) => `<option value="${esc(c)}"${c === selected ? " selected" : ""}>${
  esc(label(group, c))}</option>`).join("");
