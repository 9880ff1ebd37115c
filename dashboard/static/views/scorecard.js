// Kartu kinerja: each indicator with its target, realisation, achievement, category, light and status.

import { all, get } from "../js/api.js";
import { label, num, pct, t } from "../js/i18n.js";
import { $, $$, category, esc, evidenceLinks, light } from "../js/ui.js";

export async function scorecard(view, ctx) {
  const [card, recorded] = await Promise.all([
    get("indicators", `/agencies/${ctx.agencyId}/scorecard?period=${ctx.period}`),
    all("indicators", `/realisations?agency_id=${ctx.agencyId}&period=${ctx.period}`)]);
  // One realisation per row where the period is one of the indicator's own; a longer one shows its count.
  const own = Object.fromEntries(recorded.filter((r) => r.period === ctx.period).map((r) => [r.indicator_id, r]));
  const realisations = card.indicators.map((i) => (i.periods_expected === 1 ? own[i.indicator_id] || null : null));
  const categories = [...new Set(card.indicators.map((i) => i.indicator_category))];
  const status = (i, r) => (i.periods_expected === 1 ? label("status", r ? r.status : "missing")
    : t("scorecard.verified_of", { verified: num(i.periods_verified), expected: num(i.periods_expected) }));
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.scorecard"))}</h2>
    <p>${esc(t("scorecard.rulepack"))} <strong id="rulepack">${esc(card.rulepack_version ?? "–")}</strong>
      · ${esc(t("overview.own"))} <strong>${num(card.own.score)}</strong> (${esc(category(card.own))})</p>
    <div class="filters">
      <label>${esc(t("col.category"))} <select id="f-category"><option value="">${esc(t("filter.all"))}</option>
        ${categories.map((c) => `<option value="${esc(c)}">${esc(label("category", c))}</option>`).join("")}</select></label>
      <label>${esc(t("col.light"))} <select id="f-light"><option value="">${esc(t("filter.all"))}</option>
        ${["green", "yellow", "red"].map((l) => `<option value="${l}">${esc(label("light", l))}</option>`).join("")}</select></label></div>
    <div class="scroll"><table id="indicators"><caption class="sr-only">${esc(t("view.scorecard"))}</caption>
      <tr><th scope="col">${esc(t("col.code"))}</th><th scope="col">${esc(t("col.indicator"))}</th><th scope="col">${esc(t("col.category"))}</th>
      <th scope="col" class="num">${esc(t("col.target"))}</th><th scope="col" class="num">${esc(t("col.realised"))}</th>
      <th scope="col" class="num">${esc(t("col.achievement"))}</th><th scope="col">${esc(t("overview.category"))}</th>
      <th scope="col">${esc(t("col.light"))}</th><th scope="col">${esc(t("col.status"))}</th><th scope="col">${esc(t("col.evidence"))}</th></tr>
      ${card.indicators.map((i, n) => {
        const r = realisations[n];
        return `<tr data-indicator="${esc(i.indicator_id)}" data-category="${esc(i.indicator_category)}" data-light="${esc(i.light || "")}">
          <td>${esc(i.code)}</td><td>${esc(i.name)}</td><td>${esc(label("category", i.indicator_category))}</td><td class="num">${num(i.target)}</td>
          <td class="num">${num(i.realised)}</td><td class="num achievement">${pct(i.achievement)}</td>
          <td class="category">${esc(category(i))}${i.partial ? ` <span class="muted">(${num(i.periods_verified)}/${num(i.periods_expected)})</span>` : ""}</td>
          <td>${light(i.light)}</td>
          <td class="status" data-status="${esc(i.periods_expected === 1 ? (r ? r.status : "missing") : "")}">${esc(status(i, r))}</td>
          <td>${evidenceLinks(r?.evidence).join("<br>")}</td></tr>`;
      }).join("")}</table></div>`;
  const filter = () => $$("#indicators tr[data-indicator]", view).forEach((row) => {
    row.hidden = ($("#f-category", view).value && row.dataset.category !== $("#f-category", view).value)
      || ($("#f-light", view).value && row.dataset.light !== $("#f-light", view).value);
  });
  $("#f-category", view).addEventListener("change", filter);
  $("#f-light", view).addEventListener("change", filter);
}
