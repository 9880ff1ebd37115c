// The workbench's frame: sign-in, who the caller is (GET /me), the views their role is offered as ARIA tabs,
// breadcrumbs, the period and the language. Every figure on the page is one the APIs computed: the views fetch,
// lay out and format; they never sum, average or score anything themselves.

import { Problem, ServiceDown, SignedOut, all, get, session } from "./api.js";
import { label, t, useLanguage } from "./i18n.js";
import { $, charts, errorBox, esc, showBanner } from "./ui.js";
import { VIEWS, viewsFor } from "../views/index.js";

const TOKEN = "kinerja.token";
const AGENCY = "kinerja.agency";
const PERIOD = /^\d{4}(Q[1-4]|0[1-9]|1[0-2])?$/;  // 2025, 2025Q1 or 202503
const state = { agencyId: null, period: "2025", view: null, views: [] };

// -- sign-in ------------------------------------------------------------------------------------

/** The link's token and agency are taken from the address (#token=…&agency=…) and the address is cleaned at
 * once: the token never stays in the address bar, and, being a fragment, never reaches a server. */
function takeLink() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("token")) sessionStorage.setItem(TOKEN, params.get("token"));
  if (params.get("agency")) sessionStorage.setItem(AGENCY, params.get("agency"));
  if (params.get("token") || params.get("agency")) history.replaceState(null, "", location.pathname + location.search);
}

let waiting = null;  // the sign-in the page is waiting for: every call that met a 401 resumes after it

function askToSignIn(reason, { hideView = false } = {}) {
  $("#signin").hidden = false;
  $("#signin-reason").textContent = reason ? t("signin.invalid", { reason }) : t("signin.expired");
  if (hideView) { $("#tabs").hidden = true; $("#view").hidden = true; }
  if (!waiting) {
    let resolveIt;
    waiting = new Promise((resolve) => { resolveIt = resolve; });
    waiting.resolve = resolveIt;
    waiting.focus = document.activeElement;  // given back once signed in
  }
  $("#signin-token").value = "";
  $("#signin-title").focus();
  return waiting;
}

function signedIn(token) {
  sessionStorage.setItem(TOKEN, token);
  session.token = token;
  $("#signin").hidden = true;
  if (waiting) {
    const done = waiting;
    waiting = null;
    if (done.focus?.isConnected) done.focus.focus();
    done.resolve();
  }
}

/** Mid-session: sign in over the view (what was typed stays); a token of someone else starts the page afresh. */
async function reauthenticate(reason) {
  await askToSignIn(reason);
  const me = await get("indicators", "/me");
  if (["sub", "role", "agency_id"].some((k) => me[k] !== session.me[k])) {
    sessionStorage.removeItem(AGENCY);
    location.reload();
    await new Promise(() => {});  // the page is going: the waiting call never resumes under the wrong name
  }
}

function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(AGENCY);
  session.token = null;
  session.me = null;
  ++generation;  // a render still running draws nothing
  $("#signout").hidden = true;
  $("#whoami").textContent = "";
  $("#crumbs").innerHTML = "";
  $("#view").innerHTML = "";
  askToSignIn("", { hideView: true });
  $("#signin-reason").textContent = t("signin.signed_out");
  waiting.then(() => location.reload());
}

async function identify() {
  for (;;) {
    if (!session.token) await askToSignIn(t("signin.none"), { hideView: true });
    try {
      session.me = await get("indicators", "/me");
      return;
    } catch (err) {
      if (!(err instanceof SignedOut)) throw err;
      session.token = null;
      await askToSignIn(err.message, { hideView: true });
    }
  }
}

// -- breadcrumbs, tabs, views --------------------------------------------------------------------

async function breadcrumbs(mine) {
  const id = encodeURIComponent(state.agencyId);
  const [agency, ancestors] = await Promise.all([get("agencies", `/agencies/${id}`), get("agencies", `/agencies/${id}/ancestors`)]);
  if (mine !== generation) return;  // a newer render (a quick second drill-down) writes its own
  $("#crumbs").innerHTML = [...ancestors.map((a) => (a.restricted ? esc(a.name)
    : `<a href="#" data-agency="${esc(a.id)}">${esc(a.short_name || a.name)}</a>`)),
  `<strong id="agency-name" aria-current="page">${esc(agency.name)}</strong>`].join(" › ");
  document.title = `Kinerja — ${agency.name}`;
}

function drawTabs() {
  $("#tabs").innerHTML = state.views.map((name) => `<button type="button" role="tab" id="tab-${name}" data-view="${name}"
    aria-controls="view" aria-selected="${name === state.view}" tabindex="${name === state.view ? 0 : -1}">${esc(t(`view.${name}`))}</button>`).join("");
  $("#view").setAttribute("aria-labelledby", `tab-${state.view}`);
}

function context() {
  return {
    agencyId: state.agencyId, period: state.period, year: state.period.slice(0, 4), me: session.me, go,
    // After an action: the view drawn again from the APIs, the focus on its heading (the button pressed is gone).
    refresh: () => render({ focusView: true }),
  };
}

let generation = 0;  // a render superseded by a newer one (a quick second click) draws nothing

async function render({ focusView = false, focusTab = false } = {}) {
  const mine = ++generation;
  charts.splice(0).forEach((c) => c.destroy());
  $("#banner").hidden = true;
  drawTabs();
  if (focusTab) $(`#tab-${state.view}`)?.focus();
  const view = $("#view");
  view.hidden = false;
  $("#tabs").hidden = false;
  view.dataset.ready = "false";
  view.dataset.view = state.view;
  // Each render draws into its own box: one superseded by a quicker second click draws into a box no longer shown.
  const box = document.createElement("div");
  box.innerHTML = `<p class="muted">${esc(t("frame.loading"))}</p>`;
  view.replaceChildren(box);
  try {
    await Promise.all([breadcrumbs(mine).catch((err) => { if (err instanceof SignedOut) throw err; showBanner(err); }),
                       VIEWS[state.view](box, context())]);
    if (mine !== generation) return;
  } catch (err) {
    if (mine !== generation) return;
    if (err instanceof SignedOut) { askToSignIn(err.message, { hideView: true }).then(() => render()); return; }
    if (err instanceof Problem) {
      box.innerHTML = errorBox(err);
    } else {
      showBanner(err);
      box.innerHTML = `<p class="muted">${esc(t("frame.needs", { service: t(`service.${err.service || "indicators"}`) }))}</p>`;
    }
  }
  view.dataset.ready = "true";
  if (focusView) (view.querySelector(".view-title") || view).focus();
}

function switchTo(name, options = {}) {
  state.view = name;
  sessionStorage.setItem("kinerja.view", name);
  render(options);
}

function go(agencyId) {
  state.agencyId = agencyId;
  sessionStorage.setItem(AGENCY, agencyId);
  render({ focusView: true });
}

// Arrow keys move between the tabs (and open the tab reached), Home and End to the first and the last.
function onTabKey(event) {
  const keys = { ArrowRight: 1, ArrowLeft: -1, Home: "first", End: "last" };
  if (!(event.key in keys) || !event.target.closest("#tabs button")) return;
  event.preventDefault();
  const at = state.views.indexOf(state.view);
  const step = keys[event.key];
  const next = step === "first" ? 0 : step === "last" ? state.views.length - 1
    : (at + step + state.views.length) % state.views.length;
  switchTo(state.views[next], { focusTab: true });
}

/** A token for every agency (an administrator's) and no agency named: the roots to start from. */
async function chooseAgency() {
  const roots = await all("agencies", "/agencies?root_only=true");
  $("#tabs").hidden = true;
  const view = $("#view");
  view.hidden = false;
  view.innerHTML = `<h2 class="view-title" tabindex="-1">${esc(t("frame.choose"))}</h2><ul class="tree" id="roots">${roots.map((a) =>
    `<li><a href="#" data-agency="${esc(a.id)}">${esc(a.name)}</a> <span class="tag">${esc(a.code)}</span></li>`).join("")}</ul>`;
  view.dataset.ready = "true";
  view.querySelector(".view-title").focus();
}

// -- start ---------------------------------------------------------------------------------------

async function start() {
  takeLink();
  window.addEventListener("hashchange", () => { if (location.hash.includes("token=")) { takeLink(); location.reload(); } });
  const [config] = await Promise.all([fetch("/config.json").then((r) => r.json()), useLanguage()]);
  session.config = config;
  $("#language").value = document.documentElement.lang;
  session.token = sessionStorage.getItem(TOKEN);
  $("#signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("#signin-token").value.trim();
    if (token) signedIn(token);
  });
  try {
    await identify();
  } catch (err) {
    showBanner(err instanceof ServiceDown ? err : new ServiceDown("indicators", err.message));
    return;
  }
  // From now on a 401 (the token expired while the user worked) asks to sign in over the view, which keeps
  // what was typed, and the call that met it is made again once signed in.
  session.reauthenticate = reauthenticate;
  const me = session.me;
  const who = () => { $("#whoami").textContent = `${me.sub} · ${label("role", me.role)}`; };
  who();
  $("#signout").hidden = false;
  $("#signout").addEventListener("click", signOut);
  state.agencyId = sessionStorage.getItem(AGENCY) || (me.agency_id !== "*" ? me.agency_id : null);
  state.views = viewsFor(me.role);
  const remembered = sessionStorage.getItem("kinerja.view");
  state.view = state.views.includes(remembered) ? remembered : state.views[0];
  document.body.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-agency]");
    if (link) { event.preventDefault(); go(link.dataset.agency); return; }
    const tab = event.target.closest("#tabs button");
    if (tab && tab.dataset.view !== state.view) switchTo(tab.dataset.view, { focusTab: true });
  });
  document.body.addEventListener("keydown", onTabKey);
  $("#period").addEventListener("change", (event) => {
    const wanted = event.target.value.trim().toUpperCase();
    if (wanted === state.period) return;  // a change event fires again when the field loses focus
    const field = event.target;
    field.setCustomValidity(PERIOD.test(wanted) ? "" : t("frame.bad_period"));
    field.setAttribute("aria-invalid", String(!PERIOD.test(wanted)));
    if (!PERIOD.test(wanted)) { field.reportValidity(); return; }
    state.period = wanted;
    render();
  });
  $("#language").addEventListener("change", async (event) => {
    await useLanguage(event.target.value);
    who();
    if (state.agencyId) render(); else chooseAgency();
  });
  if (!state.agencyId) { await chooseAgency(); return; }
  render();
}

start();
