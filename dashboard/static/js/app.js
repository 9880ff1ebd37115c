// The workbench's frame: sign-in, who the caller is (GET /me), the views their role is offered as ARIA tabs,
// breadcrumbs, the period and the language. Every figure on the page is one the APIs computed: the views fetch,
// lay out and format; they never sum, average or score anything themselves.

import { ServiceDown, SignedOut, get, session } from "./api.js";
import { label, t, useLanguage } from "./i18n.js";
import { $, $$, charts, esc, showBanner } from "./ui.js";
import { VIEWS, viewsFor } from "../views/index.js";

const TOKEN = "kinerja.token";
const AGENCY = "kinerja.agency";
const state = { agencyId: null, period: "2025", view: null, views: [] };

// -- sign-in ------------------------------------------------------------------------------------

/** The link's token and agency are taken from the address (#token=…&agency=…) and the address is cleaned at
 * once: the token never stays in the address bar or the history, and, being a fragment, never reaches a server. */
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
  $("#signin-token").value = "";
  $("#signin-title").focus();
  if (!waiting) {
    let resolveIt;
    waiting = new Promise((resolve) => { resolveIt = resolve; });
    waiting.resolve = resolveIt;
  }
  return waiting;
}

function signedIn(token) {
  sessionStorage.setItem(TOKEN, token);
  session.token = token;
  $("#signin").hidden = true;
  if (waiting) { const w = waiting; waiting = null; w.resolve(); }
}

function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(AGENCY);
  session.token = null;
  session.me = null;
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

async function breadcrumbs() {
  const [agency, ancestors] = await Promise.all([get("agencies", `/agencies/${state.agencyId}`),
                                                 get("agencies", `/agencies/${state.agencyId}/ancestors`)]);
  $("#crumbs").innerHTML = [...ancestors.map((a) => (a.restricted ? esc(a.name)
    : `<a href="#" data-agency="${esc(a.id)}">${esc(a.short_name || a.name)}</a>`)),
  `<strong id="agency-name" aria-current="page">${esc(agency.name)}</strong>`].join(" › ");
  document.title = `Kinerja — ${agency.name}`;
  return agency;
}

function drawTabs() {
  $("#tabs").innerHTML = state.views.map((name) => `<button type="button" role="tab" id="tab-${name}" data-view="${name}"
    aria-controls="view" aria-selected="${name === state.view}" tabindex="${name === state.view ? 0 : -1}">${esc(t(`view.${name}`))}</button>`).join("");
  $("#view").setAttribute("aria-labelledby", `tab-${state.view}`);
}

function context() {
  return {
    agencyId: state.agencyId, period: state.period, year: state.period.slice(0, 4), me: session.me,
    go, refresh: () => render(), open: (view) => switchTo(view, { focusView: true }),
  };
}

let generation = 0;  // a render superseded by a newer one (a quick second click) draws nothing

async function render({ focusView = false } = {}) {
  const mine = ++generation;
  charts.splice(0).forEach((c) => c.destroy());
  $("#banner").hidden = true;
  drawTabs();
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
    await Promise.all([breadcrumbs().catch((err) => { if (err instanceof SignedOut) throw err; showBanner(err); }),
                       VIEWS[state.view](box, context())]);
    if (mine !== generation) return;
  } catch (err) {
    if (mine !== generation) return;
    if (err instanceof SignedOut) { askToSignIn(err.message, { hideView: true }).then(() => render()); return; }
    showBanner(err);
    box.innerHTML = `<p class="muted">${esc(t("frame.needs", { service: t(`service.${err.service || "indicators"}`) }))}</p>`;
  }
  view.dataset.ready = "true";
  if (focusView) (view.querySelector(".view-title") || view).focus();
}

function switchTo(name, { focusView = false, focusTab = false } = {}) {
  state.view = name;
  sessionStorage.setItem("kinerja.view", name);
  render({ focusView });
  if (focusTab) $(`#tab-${name}`)?.focus();
}

function go(agencyId) {
  state.agencyId = agencyId;
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
  session.reauthenticate = (reason) => askToSignIn(reason);
  const me = session.me;
  $("#whoami").textContent = `${me.sub} · ${label("role", me.role)}`;
  $("#signout").hidden = false;
  $("#signout").addEventListener("click", signOut);
  state.agencyId = sessionStorage.getItem(AGENCY) || (me.agency_id !== "*" ? me.agency_id : null);
  if (!state.agencyId) {
    askToSignIn(t("signin.no_agency"), { hideView: true });
    return;
  }
  state.views = viewsFor(me.role);
  const remembered = sessionStorage.getItem("kinerja.view");
  state.view = state.views.includes(remembered) ? remembered : state.views[0];
  document.body.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-agency]");
    if (link) { event.preventDefault(); go(link.dataset.agency); return; }
    const tab = event.target.closest("#tabs button");
    if (tab) switchTo(tab.dataset.view);
  });
  document.body.addEventListener("keydown", onTabKey);
  $("#period").addEventListener("change", (event) => {
    const wanted = event.target.value.trim();
    if (wanted === state.period) return;  // a change event fires again when the field loses focus
    state.period = wanted;
    render();
  });
  $("#language").addEventListener("change", async (event) => {
    await useLanguage(event.target.value);
    $("#whoami").textContent = `${me.sub} · ${label("role", me.role)}`;
    render();
  });
  render();
}

start();
