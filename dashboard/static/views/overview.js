// Ringkasan: the agency's own and roll-up scores, its units (drill down), the ranking and the trend.

import { get } from "../js/api.js";
import { num, share, t } from "../js/i18n.js";
import { $, category, chart, esc, light } from "../js/ui.js";

export async function overview(view, ctx) {
  const periods = [String(Number(ctx.year) - 2), String(Number(ctx.year) - 1)];
  const [card, ranking, ...trend] = await Promise.all([
    get("indicators", `/agencies/${ctx.agencyId}/scorecard?period=${ctx.period}`),
    get("indicators", `/agencies/${ctx.agencyId}/rankings?period=${ctx.period}`),
    ...(ctx.period.length === 4 ? periods : []).map((p) => get("indicators", `/agencies/${ctx.agencyId}/scorecard?period=${p}`))]);
  const series = [...trend, card];
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.overview"))}</h2>
    <div class="grid">
      <div class="panel"><h3>${esc(t("overview.own"))} ${light(card.own.light)}</h3>
        <div class="figure" id="own-score">${num(card.own.score)}</div>
        <div>${esc(t("overview.category"))} <strong id="own-grade">${esc(category(card.own))}</strong> ·
          ${esc(t("overview.coverage"))} <strong id="coverage">${share(card.own.coverage)}</strong> ·
          ${esc(t("overview.indicators", { n: num(card.own.indicators) }))}</div></div>
      <div class="panel"><h3>${esc(t("overview.rollup"))} ${light(card.rollup.light)}</h3>
        <div class="figure" id="rollup-score">${num(card.rollup.score)}</div>
        <div>${esc(t("overview.category"))} <strong id="rollup-grade">${esc(category(card.rollup))}</strong> ·
          ${esc(t("overview.counted", { n: num(card.rollup.agencies_counted) }))}</div></div>
      <div class="panel"><h3>${esc(t("overview.units"))}</h3><ul class="tree" id="children">
        ${card.children.map((c) => `<li data-agency="${esc(c.agency_id)}">${light(c.light)}
          <a href="#" data-agency="${esc(c.agency_id)}">${esc(c.name)}</a> <span class="tag">${esc(c.code)}</span>
          <strong class="score">${num(c.score)}</strong> <span class="grade">${esc(category(c))}</span></li>`).join("")
          || `<li class="muted">${esc(t("overview.no_units"))}</li>`}
      </ul></div>
      <div class="panel"><h3>${esc(t("overview.ranking", { period: card.period }))}</h3><canvas id="ranking-chart"></canvas>
        <div class="scroll"><table id="ranking"><caption class="sr-only">${esc(t("overview.ranking", { period: card.period }))}</caption>
        <tr><th scope="col">#</th><th scope="col">${esc(t("col.unit"))}</th><th scope="col" class="num">${esc(t("col.score"))}</th></tr>
        ${ranking.items.map((r) => `<tr data-agency="${esc(r.agency_id)}"><td>${num(r.rank)}</td><td>${esc(r.name)}</td>
          <td class="num">${num(r.score)}</td></tr>`).join("")}</table></div></div>
      <div class="panel"><h3>${esc(t("overview.trend"))}</h3><canvas id="trend-chart"></canvas>
        <table id="trend"><tr><th scope="col">${esc(t("col.period"))}</th><th scope="col" class="num">${esc(t("col.score"))}</th></tr>
        ${series.map((s) => `<tr><td>${esc(s.period)}</td><td class="num">${num(s.rollup.score)}</td></tr>`).join("")}</table></div>
      <div class="panel"><h3>${esc(t("overview.rules"))}</h3>${esc(t("overview.rulepack"))} <strong id="rulepack">${esc(card.rulepack_version ?? "–")}</strong></div>
    </div>`;
  const scored = ranking.items.filter((r) => r.score !== null);
  chart($("#ranking-chart", view), t("overview.ranking_chart"), { type: "bar", data: { labels: scored.map((r) => r.code),
    datasets: [{ label: t("col.score"), data: scored.map((r) => r.score), backgroundColor: "#12355b" }] },
    options: { indexAxis: "y", plugins: { legend: { display: false } } } });
  chart($("#trend-chart", view), t("overview.trend_chart"), { type: "line", data: { labels: series.map((s) => s.period),
    datasets: [{ label: t("overview.rollup"), data: series.map((s) => s.rollup.score), borderColor: "#1a7f45" }] } });
}
