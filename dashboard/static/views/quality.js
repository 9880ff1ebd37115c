// Kualitas data: what is missing, waiting or rejected in the subtree for the period, as the API counts it.

import { get } from "../js/api.js";
import { day, label, num, period, t } from "../js/i18n.js";
import { esc } from "../js/ui.js";

export async function quality(view, ctx) {
  const q = await get("indicators", `/agencies/${ctx.agencyId}/data-quality?period=${ctx.period}`);
  const rows = (items, extra) => items.map((g) => `<tr data-gap="${esc(g.indicator_id)}:${esc(g.period)}">
    <td>${esc(g.agency_code)} ${esc(g.agency_name)}</td><td>${esc(g.code)} ${esc(g.name)}</td><td>${esc(period(g.period))}</td>
    <td>${esc(day(g.deadline))}${g.overdue ? ` <span class="tag">${esc(t("quality.late"))}</span>` : ""}</td><td>${extra(g)}</td></tr>`).join("");
  const head = (last) => `<tr><th scope="col">${esc(t("col.agency"))}</th><th scope="col">${esc(t("col.indicator"))}</th>
    <th scope="col">${esc(t("col.period"))}</th><th scope="col">${esc(t("col.deadline"))}</th><th scope="col">${esc(last)}</th></tr>`;
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.quality"))}</h2>
    <p>${esc(t("quality.lead", { indicators: num(q.indicators), date: day(q.as_of) }))}
      <strong id="q-expected">${num(q.expected)}</strong>.</p>
    <div class="counts">
      ${["verified", "submitted", "rejected", "draft", "missing"].map((s) => `<div>${esc(label("status", s))}
        <strong id="q-${s}">${num(q.counts[s])}</strong></div>`).join("")}</div>
    <p class="muted">${esc(t("quality.grace", { days: num(q.grace_days) }))}</p>
    <div class="panel"><h3>${esc(t("quality.missing"))}</h3><div class="scroll"><table id="missing">${head(t("col.status"))}
      ${rows(q.missing, (g) => esc(label("status", g.status))) || `<tr><td colspan=5 class="muted">${esc(t("quality.nothing_missing"))}</td></tr>`}</table></div></div>
    <div class="panel"><h3>${esc(t("quality.rejected"))}</h3><div class="scroll"><table id="rejected">${head(t("col.reason"))}
      ${rows(q.rejected, (g) => esc(g.reason)) || `<tr><td colspan=5 class="muted">${esc(t("quality.nothing_rejected"))}</td></tr>`}</table></div></div>`;
}
