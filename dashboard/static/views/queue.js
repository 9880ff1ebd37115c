// Verifikasi (evaluators): what the subtree submitted, oldest first, with its evidence; verify, or reject with
// a reason. One's own submissions are not offered (the API refuses them too: the four-eyes rule).

import { all, call } from "../js/api.js";
import { day, num, period, t } from "../js/i18n.js";
import { $, $$, act, esc, evidenceLinks, say, toast } from "../js/ui.js";
import { locksPanel } from "./locks.js";

export async function queue(view, ctx) {
  const items = await all("indicators", `/realisations?agency_id=${ctx.agencyId}&subtree=true&status=submitted`);
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.queue"))}</h2>
    <p id="queue-count">${esc(t("queue.lead", { n: num(items.length) }))}</p>
    <ol class="tree" id="queue">${items.map((r) => {
      const own = r.submitted_by === ctx.me.sub;
      return `<li data-realisation="${esc(r.indicator_id)}:${esc(r.period)}" data-own="${own}">
        <div><strong>${esc(r.indicator.code)} ${esc(r.indicator.name)}</strong> · ${esc(period(r.period))} ·
          ${esc(r.agency.name)}</div>
        <div>${esc(t("col.realised"))} <strong class="value">${num(r.value)}</strong> ${esc(r.indicator.unit || "")} ·
          ${esc(t("queue.submitted_by", { who: r.submitted_by, at: day(r.submitted_at, true) }))}</div>
        ${r.note ? `<div class="muted">${esc(t("field.note"))}: ${esc(r.note)}</div>` : ""}
        <div>${esc(t("col.evidence"))}: ${evidenceLinks(r.evidence).join(", ") || esc(t("queue.no_evidence"))}</div>
        ${own ? `<p class="muted own">${esc(t("queue.own"))}</p>` : `
        <form class="actions decide"><button type="button" class="primary verify">${esc(t("queue.verify"))}</button>
          <label>${esc(t("field.reason"))} <input name="reason" maxlength="500"></label>
          <button type="submit" class="reject">${esc(t("queue.reject"))}</button></form>`}
        <div class="result"></div></li>`;
    }).join("") || `<li class="muted">${esc(t("queue.empty"))}</li>`}</ol>
    <div id="locks-panel"></div>`;
  $$("#queue li[data-realisation]", view).forEach((li) => {
    const r = items.find((i) => `${i.indicator_id}:${i.period}` === li.dataset.realisation);
    const base = `/indicators/${r.indicator_id}/realisations/${r.period}`;
    const out = $(".result", li);
    const form = $("form.decide", li);
    if (!form) return;
    const done = (key) => () => { toast(t(key, { code: r.indicator.code })); ctx.refresh(); };
    $(".verify", form).addEventListener("click", (event) => act(event.target, out, () => call("indicators", `${base}/verify`,
      { method: "POST", etag: `"${r.version}"` }), { done: done("queue.verified"), onStale: stale(out) }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const reason = form.reason.value.trim();
      if (!reason) { say(out, "queue.reason_needed"); form.reason.focus(); return; }
      act($(".reject", form), out, () => call("indicators", `${base}/reject`, { method: "POST", json: { reason }, etag: `"${r.version}"` }),
        { done: done("queue.rejected"), onStale: stale(out) });
    });
  });
  await locksPanel($("#locks-panel", view), ctx);
}

const stale = (out) => () => { say(out, "queue.stale", {}, "conflict"); };
