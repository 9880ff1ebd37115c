// Kunci periode (evaluators and admins): lock a period for the agency and its subtree, unlock with a reason.

import { call, get } from "../js/api.js";
import { day, period, t } from "../js/i18n.js";
import { $, act, esc, say, toast } from "../js/ui.js";

export async function locksPanel(panel, ctx) {
  const locks = await get("indicators", `/period-locks?agency_id=${ctx.agencyId}`);
  panel.innerHTML = `<section class="panel" aria-labelledby="locks-title"><h3 id="locks-title">${esc(t("locks.title"))}</h3>
    <div class="scroll"><table id="locks"><tr><th scope="col">${esc(t("col.period"))}</th><th scope="col">${esc(t("col.status"))}</th>
      <th scope="col">${esc(t("locks.by"))}</th><th scope="col">${esc(t("field.reason"))}</th><th scope="col">${esc(t("col.actions"))}</th></tr>
      ${locks.map((l) => `<tr data-lock="${esc(l.id)}"><td>${esc(period(l.period))}</td><td>${esc(t(l.locked ? "locks.locked" : "locks.open"))}</td>
        <td>${esc(l.by)} · ${esc(day(l.at, true))}</td><td>${esc(l.reason || "")}</td>
        <td>${l.locked ? `<button type="button" class="unlock">${esc(t("locks.unlock"))}</button>` : ""}</td></tr>`).join("")
        || `<tr><td colspan="5" class="muted">${esc(t("locks.none"))}</td></tr>`}</table></div>
    <form class="actions" id="lock-form"><label>${esc(t("col.period"))} <input name="period" value="${esc(ctx.period)}" size="7" required></label>
      <label>${esc(t("field.reason"))} <input name="reason" maxlength="500" required></label>
      <button type="submit">${esc(t("locks.lock"))}</button></form><div id="lock-result"></div></section>`;
  const out = $("#lock-result", panel);
  const form = $("#lock-form", panel);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act($("button", form), out, () => call("indicators", "/period-locks", { method: "POST", json: {
      agency_id: ctx.agencyId, period: form.period.value.trim(), reason: form.reason.value.trim() } }),
    { done: () => { toast(t("locks.done")); ctx.refresh(); } });
  });
  panel.querySelectorAll("tr[data-lock] .unlock").forEach((button) => button.addEventListener("click", () => {
    const reason = form.reason.value.trim();
    if (!reason) { say(out, "locks.reason_needed"); form.reason.focus(); return; }
    const id = button.closest("tr").dataset.lock;
    act(button, out, () => call("indicators", `/period-locks/${encodeURIComponent(id)}/unlock`, { method: "POST", json: { reason } }),
      { done: () => { toast(t("locks.undone")); ctx.refresh(); } });
  }));
}
