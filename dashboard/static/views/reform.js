// Reformasi: the year's activities over the subtree, by area and status, the timeline, overdue follow-ups.

import { all, get } from "../js/api.js";
import { day, label, lang, num, t } from "../js/i18n.js";
import { $, chart, esc } from "../js/ui.js";

const STATUSES = ["planned", "in_progress", "completed", "cancelled"];
const COLOURS = { planned: "#6baed6", in_progress: "#f4b400", completed: "#1a7f45", cancelled: "#8a939d" };

export async function reform(view, ctx) {
  const [summary, activities, overdue, areaList] = await Promise.all([
    get("reforms", `/agencies/${ctx.agencyId}/reform-summary?year=${ctx.year}`),
    all("reforms", `/activities?agency_id=${ctx.agencyId}&year=${ctx.year}`),
    get("reforms", `/follow-ups?agency_id=${ctx.agencyId}&overdue=true&page_size=100`), get("reforms", "/areas")]);
  const areaName = Object.fromEntries(areaList.map((a) => [a.code, lang() === "en" && a.name_en ? a.name_en : a.name]));
  const r = summary.rollup;
  const areas = r.activities.by_area.filter((a) => a.total);
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.reform"))}</h2>
    <div class="grid">
      <div class="panel"><h3>${esc(t("reform.activities", { year: summary.year }))}</h3><div class="figure" id="r-total">${num(r.activities.total)}</div>
        <div>${esc(t("reform.registered"))} <strong id="r-registered">${num(r.participants.registered)}</strong>,
          ${esc(t("reform.attended"))} <strong id="r-attended">${num(r.participants.attended)}</strong>,
          ${esc(t("reform.rate"))} <strong id="r-rate">${num(r.participants.attendance_rate)}</strong>%</div>
        <div>${esc(t("reform.open"))} <strong id="r-open">${num(r.follow_ups.open)}</strong>, ${esc(t("reform.overdue"))}
          <strong id="r-overdue">${num(r.follow_ups.overdue)}</strong></div></div>
      <div class="panel"><h3>${esc(t("reform.by_area"))}</h3><canvas id="area-chart"></canvas>
        <div class="scroll"><table id="areas">${areas.map((a) => `<tr data-area="${esc(a.code)}"><td>${esc(areaName[a.code] || a.name)}</td><td class="num">${num(a.total)}</td>
          <td>${STATUSES.filter((s) => a[s]).map((s) => `${esc(label("activity", s))} ${num(a[s])}`).join(", ")}</td></tr>`).join("")}</table></div></div>
    </div>
    <div class="panel"><h3>${esc(t("reform.timeline"))}</h3><div class="scroll"><table id="activities">
      <tr><th scope="col">${esc(t("col.when"))}</th><th scope="col">${esc(t("col.activity"))}</th><th scope="col">${esc(t("col.area"))}</th>
      <th scope="col">${esc(t("col.status"))}</th><th scope="col" class="num">${esc(t("reform.registered"))}</th>
      <th scope="col" class="num">${esc(t("reform.attended"))}</th><th scope="col">${esc(t("reform.feeds"))}</th></tr>
      ${activities.map((a) => `<tr data-activity="${esc(a.id)}"><td>${esc(day(a.start))}</td><td>${esc(a.title)}</td>
        <td>${esc(areaName[a.area] || a.area)}</td><td class="status">${esc(label("activity", a.status))}</td><td class="num">${num(a.registered)}</td>
        <td class="num">${num(a.attended)}</td>
        <td>${a.linked_indicators.map((i) => `${esc(i.code)} ${esc(i.name)}`).join("<br>")}</td></tr>`).join("")}</table></div></div>
    <div class="panel"><h3>${esc(t("reform.overdue_list", { date: day(overdue.as_of) }))}</h3><ul class="tree" id="overdue">
      ${overdue.items.map((f) => `<li data-follow-up="${esc(f.id)}"><strong>${esc(day(f.due))}</strong> ${esc(f.action)}
        <span class="tag">${esc(f.type === "milestone" ? label("milestone", f.status) : label("followup", f.status))}</span>
        ${f.type === "milestone" ? `<span class="tag">${esc(t("reform.milestone_of", { name: f.participant_name }))}</span>` : ""}
        <span class="muted">${esc(f.activity_title)}</span></li>`).join("")
        || `<li class="muted">${esc(t("reform.none"))}</li>`}
    </ul></div>`;
  chart($("#area-chart", view), t("reform.chart"), { type: "bar", data: { labels: areas.map((a) => areaName[a.code] || a.name),
    datasets: STATUSES.map((s) => ({ label: label("activity", s), data: areas.map((a) => a[s]), backgroundColor: COLOURS[s] })) },
    options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true } } } });
}
