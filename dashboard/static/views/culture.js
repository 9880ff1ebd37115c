// Budaya kerja: whether the reform activities changed the work culture — the agency's culture index, a survey's pre and
// post means per core value with the paired change and its 95 % interval (groups under k show no number, as the API
// says), the same by agency where k allows, and the participants' change commitments with their milestones.

import { get } from "../js/api.js";
import { day, label, num, t } from "../js/i18n.js";
import { $, chart, esc } from "../js/ui.js";

const tooFew = () => `<span class="muted">${esc(t("culture.too_few"))}</span>`;
const mean = (m) => (m.shown ? esc(num(m.mean)) : tooFew());
const signed = (value) => `${value > 0 ? "+" : ""}${num(value)}`;
const change = (c) => (c.shown ? `${esc(signed(c.mean))} <span class="muted">(${esc(t("culture.interval", {
  low: signed(c.low), high: signed(c.high) }))})</span>` : tooFew());

function resultsTable(id, dimensions) {
  return `<div class="scroll"><table id="${esc(id)}"><tr><th scope="col">${esc(t("culture.value"))}</th>
    <th scope="col" class="num">${esc(t("culture.pre"))}</th><th scope="col" class="num">${esc(t("culture.post"))}</th>
    <th scope="col">${esc(t("culture.change"))}</th><th scope="col" class="num">${esc(t("culture.pairs"))}</th></tr>
    ${dimensions.map((d) => `<tr data-dimension="${esc(d.code)}"><th scope="row">${esc(d.code === "overall"
      ? t("culture.overall") : d.label)}</th><td class="num">${mean(d.pre)}</td><td class="num">${mean(d.post)}</td>
      <td class="change">${change(d.change)}</td><td class="num">${esc(num(d.change.pairs, 0))}</td></tr>`).join("")}</table></div>`;
}

function commitmentsList(commitments) {
  if (!commitments.length) return `<p class="muted">${esc(t("culture.no_commitments"))}</p>`;
  return `<div class="scroll"><table id="commitments"><tr><th scope="col">${esc(t("culture.participant"))}</th>
    <th scope="col">${esc(t("culture.action"))}</th><th scope="col">${esc(t("culture.mentor"))}</th>
    <th scope="col">${esc(t("culture.milestones"))}</th><th scope="col">${esc(t("col.status"))}</th></tr>
    ${commitments.map((c) => `<tr data-commitment="${esc(c.id)}"><td>${esc(c.participant_name)}</td><td>${esc(c.title)}</td>
      <td>${esc(c.mentor ? c.mentor.name : "–")}</td><td><ul class="plain">${c.milestones.map((m) => `<li>${esc(day(m.due))}
        ${esc(m.title)} <span class="tag">${esc(label("milestone", m.status))}</span>${m.overdue
          ? ` <span class="tag late">${esc(t("culture.late"))}</span>` : ""}</li>`).join("")}</ul></td>
      <td class="status">${esc(label("milestone", c.status))}</td></tr>`).join("")}</table></div>`;
}

async function showSurvey(box, survey) {
  const [results, commitments] = await Promise.all([get("reforms", `/surveys/${survey.id}/results`),
    get("reforms", `/activities/${survey.activity_id}/commitments`)]);
  const rows = results.dimensions;
  const agencies = results.by_agency.filter((a) => a.dimensions.some((d) => d.pre.shown || d.post.shown));
  box.innerHTML = `
    <p id="survey-lead">${esc(t("culture.survey_lead", { title: survey.activity_title, instrument: results.instrument.title,
      pre: num(results.phases.pre.respondents, 0), post: num(results.phases.post.respondents, 0), k: num(results.k, 0) }))}
      <span class="tag">${esc(t("culture.phase_pre"))}: ${esc(label("phase", results.phases.pre.status))}</span>
      <span class="tag">${esc(t("culture.phase_post"))}: ${esc(label("phase", results.phases.post.status))}</span></p>
    <div class="grid">
      <div class="panel"><h3>${esc(t("culture.by_value"))}</h3>${resultsTable("culture-results", rows)}</div>
      <div class="panel"><h3>${esc(t("culture.chart_title"))}</h3><canvas id="culture-chart"></canvas></div>
    </div>
    <div class="panel"><h3>${esc(t("culture.by_agency"))}</h3>
      <p class="muted">${esc(t("culture.k_rule", { k: num(results.k, 0), hidden: num(results.by_agency.length - agencies.length, 0) }))}</p>
      ${agencies.map((a) => `<h4>${esc(a.agency.name || a.agency_id)}</h4>${resultsTable(`agency-${a.agency_id}`,
        a.dimensions.filter((d) => d.code === "overall"))}`).join("")}</div>
    <div class="panel"><h3>${esc(t("culture.commitments"))}</h3>${commitmentsList(commitments)}</div>`;
  const values = rows.filter((d) => d.code !== "overall");
  chart($("#culture-chart", box), t("culture.chart"), { type: "bar", data: { labels: values.map((d) => d.label),
    datasets: [{ label: t("culture.pre"), data: values.map((d) => d.pre.mean), backgroundColor: "#8a939d" },
      { label: t("culture.post"), data: values.map((d) => d.post.mean), backgroundColor: "#1a7f45" }] },
    options: { scales: { y: { min: 0, max: 100 } } } });
}

export async function culture(view, ctx) {
  const [index, surveys] = await Promise.all([get("reforms", `/agencies/${ctx.agencyId}/culture-index?year=${ctx.year}`),
    get("reforms", `/surveys?agency_id=${ctx.agencyId}&year=${ctx.year}`)]);
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.culture"))}</h2>
    <div class="panel"><h3>${esc(t("culture.index_title", { year: ctx.year }))}</h3>
      ${index.index === null ? `<p class="muted" id="culture-index">${esc(t("culture.no_index"))}</p>`
        : `<div class="figure" id="culture-index">${esc(num(index.index))}</div><p>${esc(t("culture.index_lead", {
          respondents: num(index.respondents, 0), title: index.survey.activity_title, date: day(index.survey.closed_at) }))}</p>`}</div>
    ${surveys.length ? `<label>${esc(t("culture.survey"))} <select id="survey-choice">${surveys.map((s) =>
      `<option value="${esc(s.id)}">${esc(s.activity_title)} (${esc(s.instrument_id)})</option>`).join("")}</select></label>
      <div id="survey"></div>` : `<p class="muted" id="no-survey">${esc(t("culture.no_survey"))}</p>`}`;
  if (!surveys.length) return;
  const box = $("#survey", view);
  const choice = $("#survey-choice", view);
  choice.addEventListener("change", () => showSurvey(box, surveys.find((s) => s.id === choice.value)));
  await showSurvey(box, surveys[0]);
}
