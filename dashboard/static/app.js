// The agency dashboard. Every figure on the page is one the APIs computed: this file fetches, lays out and
// formats (a share as a percentage, at most); it never sums, averages or scores anything itself.

const $ = (selector) => document.querySelector(selector);
const state = { config: null, token: null, agencyId: null, period: "2025", view: "overview", charts: [] };

class SignedOut extends Error {}
class Missing extends Error {}
class ServiceDown extends Error {
  constructor(service, reason) { super(`${service}: ${reason}`); this.service = service; this.reason = reason; }
}

// -- talking to the APIs ------------------------------------------------------------------------

async function api(service, path) {
  let response;
  try {
    response = await fetch(`${state.config.apis[service]}/api/v1${path}`,
                           { headers: { Authorization: `Bearer ${state.token}` } });
  } catch (err) {
    throw new ServiceDown(service, "no answer");
  }
  if (response.status === 401) throw new SignedOut((await response.json().catch(() => ({}))).detail || "");
  if (response.status >= 500) throw new ServiceDown(service, `HTTP ${response.status}`);
  const body = await response.json();
  if (response.status === 404) throw new Missing(body.detail || "not found");
  if (!response.ok) throw new Error(body.detail || `HTTP ${response.status}`);
  return body;
}

async function maybe(service, path) {  // a 404 is an answer too ("nothing recorded")
  try { return await api(service, path); } catch (err) { if (err instanceof Missing) return null; throw err; }
}

// -- formatting (never arithmetic on the figures) -----------------------------------------------

const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (value) => (value === null || value === undefined ? "–" : String(value));
// A score's category as the rule pack labels it (cards of version 1 without one show their grade).
const label = (score) => (score && score.category ? score.category.label : score && score.grade);
const light = (name) => `<span class="light ${esc(name || "")}" title="${esc(name || "not scored")}"></span>`;
const percent = (share) => (share === null || share === undefined ? "–" : `${Math.round(share * 100)}%`);
const year = () => state.period.slice(0, 4);

function chart(canvas, config) {
  if (!window.Chart) return;  // the page still shows every figure in its tables
  state.charts.push(new window.Chart(canvas, { ...config, options: { animation: false, responsive: true,
                                                                       ...(config.options || {}) } }));
}

// -- the frame: sign-in, banner, breadcrumbs, tabs -----------------------------------------------

function showBanner(error) {
  const banner = $("#banner");
  banner.hidden = false;
  banner.dataset.service = error.service || "";
  banner.textContent = error instanceof ServiceDown
    ? `The ${error.service} service is not answering (${error.reason}). What it shows is missing below; reload to try again.`
    : `Something went wrong: ${error.message}`;
}

function showSignIn(reason) {
  $("#signin").hidden = false;
  $("#signin-reason").textContent = reason ? `Your session is not valid: ${reason}` : "Your session has expired.";
  $("#tabs").hidden = true;
  $("#view").hidden = true;
}

function claims(token) {
  try { return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))); } catch { return {}; }
}

async function breadcrumbs() {
  const [agency, ancestors] = await Promise.all([api("agencies", `/agencies/${state.agencyId}`),
                                                 api("agencies", `/agencies/${state.agencyId}/ancestors`)]);
  $("#crumbs").innerHTML = [...ancestors.map((a) => (a.restricted ? esc(a.name)
    : `<a data-agency="${esc(a.id)}">${esc(a.short_name || a.name)}</a>`)), `<strong id="agency-name">${esc(agency.name)}</strong>`]
    .join(" › ");
  document.title = `Kinerja — ${agency.name}`;
}

function go(agencyId) {
  state.agencyId = agencyId;
  render();
}

async function render() {
  state.charts.forEach((c) => c.destroy());
  state.charts = [];
  $("#banner").hidden = true;
  document.querySelectorAll("#tabs button").forEach((b) => b.setAttribute("aria-selected", b.dataset.view === state.view));
  const view = $("#view");
  view.innerHTML = '<p class="muted">Loading…</p>';
  view.dataset.ready = "false";
  try {
    await Promise.all([breadcrumbs().catch((err) => { if (err instanceof SignedOut) throw err; showBanner(err); }),
                       VIEWS[state.view](view)]);
  } catch (err) {
    if (err instanceof SignedOut) { showSignIn(err.message); return; }
    showBanner(err);
    view.innerHTML = `<p class="muted">This view needs the ${esc(err.service || "")} service.</p>`;
  }
  view.dataset.ready = "true";
}

// -- views ---------------------------------------------------------------------------------------

async function overview(view) {
  const periods = [String(Number(year()) - 2), String(Number(year()) - 1), state.period];
  const [card, ranking, ...trend] = await Promise.all([
    api("indicators", `/agencies/${state.agencyId}/scorecard?period=${state.period}`),
    api("indicators", `/agencies/${state.agencyId}/rankings?period=${state.period}`),
    ...(state.period.length === 4 ? periods.slice(0, 2) : []).map((p) =>
      api("indicators", `/agencies/${state.agencyId}/scorecard?period=${p}`))]);
  const series = [...trend, card];
  view.innerHTML = `
    <div class="grid">
      <div class="panel"><h2>Own score ${light(card.own.light)}</h2>
        <div class="figure" id="own-score">${fmt(card.own.score)}</div>
        <div>kategori <strong id="own-grade">${fmt(label(card.own))}</strong> · coverage of verified realisations
          <strong id="coverage">${percent(card.own.coverage)}</strong> · ${fmt(card.own.indicators)} indicators</div></div>
      <div class="panel"><h2>Roll-up over the subtree ${light(card.rollup.light)}</h2>
        <div class="figure" id="rollup-score">${fmt(card.rollup.score)}</div>
        <div>kategori <strong id="rollup-grade">${fmt(label(card.rollup))}</strong> · ${fmt(card.rollup.agencies_counted)} agencies counted</div></div>
      <div class="panel"><h2>Units (click to drill down)</h2><ul class="tree" id="children">
        ${card.children.map((c) => `<li data-agency="${esc(c.agency_id)}">${light(c.light)}
          <a data-agency="${esc(c.agency_id)}">${esc(c.name)}</a> <span class="tag">${esc(c.code)}</span>
          <strong class="score">${fmt(c.score)}</strong> <span class="grade">${fmt(label(c))}</span></li>`).join("") || "<li class='muted'>No units below this agency.</li>"}
      </ul></div>
      <div class="panel"><h2>Ranking of the units (${esc(card.period)})</h2><canvas id="ranking-chart"></canvas>
        <table id="ranking"><tr><th>#</th><th>unit</th><th class="num">score</th></tr>
        ${ranking.items.map((r) => `<tr data-agency="${esc(r.agency_id)}"><td>${fmt(r.rank)}</td><td>${esc(r.name)}</td>
          <td class="num">${fmt(r.score)}</td></tr>`).join("")}</table></div>
      <div class="panel"><h2>Trend of the roll-up score</h2><canvas id="trend-chart"></canvas>
        <table id="trend">${series.map((s) => `<tr><td>${esc(s.period)}</td><td class="num">${fmt(s.rollup.score)}</td></tr>`).join("")}</table></div>
      <div class="panel"><h2>Scoring rules</h2>Rule pack version <strong id="rulepack">${fmt(card.rulepack_version)}</strong></div>
    </div>`;
  const scored = ranking.items.filter((r) => r.score !== null);
  chart($("#ranking-chart"), { type: "bar", data: { labels: scored.map((r) => r.code),
    datasets: [{ label: "score", data: scored.map((r) => r.score), backgroundColor: "#12355b" }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } } } });
  chart($("#trend-chart"), { type: "line", data: { labels: series.map((s) => s.period),
    datasets: [{ label: "roll-up score", data: series.map((s) => s.rollup.score), borderColor: "#1a9850" }] } });
}

async function scorecard(view) {
  const card = await api("indicators", `/agencies/${state.agencyId}/scorecard?period=${state.period}`);
  // One realisation per row where the period is one of the indicator's own; a longer one shows its count.
  const realisations = await Promise.all(card.indicators.map((i) => (i.periods_expected === 1
    ? maybe("indicators", `/indicators/${i.indicator_id}/realisations/${state.period}`) : null)));
  const categories = [...new Set(card.indicators.map((i) => i.indicator_category))];
  view.innerHTML = `
    <p>Computed with rule pack version <strong id="rulepack">${fmt(card.rulepack_version)}</strong>
      · own score <strong>${fmt(card.own.score)}</strong> (${fmt(label(card.own))})</p>
    <div class="filters">
      <label>Category <select id="f-category"><option value="">all</option>
        ${categories.map((c) => `<option>${esc(c)}</option>`).join("")}</select></label>
      <label>Light <select id="f-light"><option value="">all</option><option>green</option><option>yellow</option>
        <option>red</option></select></label></div>
    <div class="scroll"><table id="indicators"><tr><th>code</th><th>indicator</th><th>category</th><th class="num">target</th>
      <th class="num">realised</th><th class="num">achievement</th><th>kategori</th><th>light</th><th>status</th><th>evidence</th></tr>
      ${card.indicators.map((i, n) => {
        const r = realisations[n];
        return `<tr data-indicator="${esc(i.indicator_id)}" data-category="${esc(i.indicator_category)}" data-light="${esc(i.light || "")}">
          <td>${esc(i.code)}</td><td>${esc(i.name)}</td><td>${esc(i.indicator_category)}</td><td class="num">${fmt(i.target)}</td>
          <td class="num">${fmt(i.realised)}</td><td class="num achievement">${fmt(i.achievement)}</td>
          <td class="category">${esc(label(i))}${i.partial ? ` <span class="muted">(${i.periods_verified}/${i.periods_expected})</span>` : ""}</td>
          <td>${light(i.light)}</td>
          <td class="status">${esc(i.periods_expected === 1 ? (r ? r.status : "none")
            : `${i.periods_verified}/${i.periods_expected} verified`)}</td>
          <td>${(r?.evidence || []).map((e) => `<a href="${esc(e.link)}" rel="noopener" target="_blank">${esc(e.title)}</a>`).join("<br>")}</td></tr>`;
      }).join("")}</table></div>`;
  const filter = () => document.querySelectorAll("#indicators tr[data-indicator]").forEach((row) => {
    row.hidden = ($("#f-category").value && row.dataset.category !== $("#f-category").value)
      || ($("#f-light").value && row.dataset.light !== $("#f-light").value);
  });
  $("#f-category").addEventListener("change", filter);
  $("#f-light").addEventListener("change", filter);
}

async function reform(view) {
  const [summary, activities, overdue] = await Promise.all([
    api("reforms", `/agencies/${state.agencyId}/reform-summary?year=${year()}`),
    api("reforms", `/activities?agency_id=${state.agencyId}&year=${year()}&page_size=100`),
    api("reforms", `/follow-ups?agency_id=${state.agencyId}&overdue=true&page_size=100`)]);
  const r = summary.rollup;
  const areas = r.activities.by_area.filter((a) => a.total);
  view.innerHTML = `
    <div class="grid">
      <div class="panel"><h2>Activities ${esc(summary.year)} (subtree)</h2><div class="figure" id="r-total">${fmt(r.activities.total)}</div>
        <div>participants registered <strong id="r-registered">${fmt(r.participants.registered)}</strong>,
          attended <strong id="r-attended">${fmt(r.participants.attended)}</strong>,
          attendance in completed activities <strong id="r-rate">${fmt(r.participants.attendance_rate)}</strong>%</div>
        <div>follow-ups open <strong id="r-open">${fmt(r.follow_ups.open)}</strong>, overdue
          <strong id="r-overdue">${fmt(r.follow_ups.overdue)}</strong></div></div>
      <div class="panel"><h2>By area of change and status</h2><canvas id="area-chart"></canvas>
        <table id="areas">${areas.map((a) => `<tr data-area="${esc(a.code)}"><td>${esc(a.name)}</td><td class="num">${fmt(a.total)}</td>
          <td>${["planned", "in_progress", "completed", "cancelled"].filter((s) => a[s]).map((s) => `${s.replace("_", " ")} ${a[s]}`).join(", ")}</td></tr>`).join("")}</table></div>
    </div>
    <div class="panel"><h2>Timeline</h2><div class="scroll"><table id="activities">
      <tr><th>when</th><th>activity</th><th>area</th><th>status</th><th class="num">registered</th><th class="num">attended</th><th>feeds indicators</th></tr>
      ${activities.items.map((a) => `<tr data-activity="${esc(a.id)}"><td>${esc(a.start.slice(0, 10))}</td><td>${esc(a.title)}</td>
        <td>${esc(a.area)}</td><td>${esc(a.status)}</td><td class="num">${fmt(a.registered)}</td><td class="num">${fmt(a.attended)}</td>
        <td>${a.linked_indicators.map((i) => `${esc(i.code)} ${esc(i.name)}`).join("<br>")}</td></tr>`).join("")}</table></div></div>
    <div class="panel"><h2>Overdue follow-ups (as of ${esc(overdue.as_of)})</h2><ul class="tree" id="overdue">
      ${overdue.items.map((f) => `<li data-follow-up="${esc(f.id)}"><strong>${esc(f.due)}</strong> ${esc(f.action)}
        <span class="tag">${esc(f.status)}</span> <span class="muted">${esc(f.activity_title)}</span></li>`).join("") || "<li class='muted'>None.</li>"}
    </ul></div>`;
  const statuses = ["planned", "in_progress", "completed", "cancelled"];
  const colours = { planned: "#9ecae1", in_progress: "#f4b400", completed: "#1a9850", cancelled: "#999" };
  chart($("#area-chart"), { type: "bar", data: { labels: areas.map((a) => a.name),
    datasets: statuses.map((s) => ({ label: s.replace("_", " "), data: areas.map((a) => a[s]), backgroundColor: colours[s] })) },
    options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true } } } });
}

async function quality(view) {
  const q = await api("indicators", `/agencies/${state.agencyId}/data-quality?period=${state.period}`);
  const rows = (items, extra) => items.map((g) => `<tr data-gap="${esc(g.indicator_id)}:${esc(g.period)}">
    <td>${esc(g.agency_code)} ${esc(g.agency_name)}</td><td>${esc(g.code)} ${esc(g.name)}</td><td>${esc(g.period)}</td>
    <td>${esc(g.deadline)}${g.overdue ? ' <span class="tag">overdue</span>' : ""}</td><td>${extra(g)}</td></tr>`).join("");
  view.innerHTML = `
    <p>${fmt(q.indicators)} active indicators, <strong id="q-expected">${fmt(q.expected)}</strong> reports expected by ${esc(q.as_of)}:
      verified <strong id="q-verified">${fmt(q.counts.verified)}</strong>, waiting for verification
      <strong id="q-submitted">${fmt(q.counts.submitted)}</strong>, rejected <strong id="q-rejected">${fmt(q.counts.rejected)}</strong>,
      draft <strong id="q-draft">${fmt(q.counts.draft)}</strong>, missing <strong id="q-missing">${fmt(q.counts.missing)}</strong>
      (due ${fmt(q.grace_days)} days after the period ends).</p>
    <div class="panel"><h2>Missing or not submitted, by deadline</h2><div class="scroll"><table id="missing">
      <tr><th>agency</th><th>indicator</th><th>period</th><th>deadline</th><th>state</th></tr>
      ${rows(q.missing, (g) => esc(g.status)) || "<tr><td colspan=5 class='muted'>Nothing missing.</td></tr>"}</table></div></div>
    <div class="panel"><h2>Rejected, waiting for resubmission</h2><div class="scroll"><table id="rejected">
      <tr><th>agency</th><th>indicator</th><th>period</th><th>deadline</th><th>reason</th></tr>
      ${rows(q.rejected, (g) => esc(g.reason)) || "<tr><td colspan=5 class='muted'>Nothing rejected.</td></tr>"}</table></div></div>`;
}

const VIEWS = { overview, scorecard, reform, quality };

// -- start ---------------------------------------------------------------------------------------

async function start() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("token")) sessionStorage.setItem("kinerja.token", params.get("token"));
  if (params.get("agency")) sessionStorage.setItem("kinerja.agency", params.get("agency"));
  if (params.get("token") || params.get("agency")) history.replaceState(null, "", location.pathname + location.search);
  state.token = sessionStorage.getItem("kinerja.token");
  if (!state.token) { showSignIn("no sign-in yet"); return; }
  const scope = claims(state.token).agency_id;
  state.agencyId = sessionStorage.getItem("kinerja.agency") || (scope && scope !== "*" ? scope : null);
  state.config = await (await fetch("/config.json")).json();
  if (!state.agencyId) { showSignIn("the sign-in link names no agency"); return; }
  document.body.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-agency]");
    if (link) { event.preventDefault(); go(link.dataset.agency); }
    const tab = event.target.closest("#tabs button");
    if (tab) { state.view = tab.dataset.view; render(); }
  });
  $("#period").addEventListener("change", (event) => { state.period = event.target.value.trim(); render(); });
  render();
}

start();
