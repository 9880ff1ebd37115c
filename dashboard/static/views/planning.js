// Perencanaan (operators as planners): the agency's indicators and the year's targets; the Perjanjian Kinerja
// drafted from them, signed, and revised with a reason once signed.

import { all, call, get } from "../js/api.js";
import { day, label, num, parseNumber, plain, rupiah, t } from "../js/i18n.js";
import { $, $$, act, esc, lines, say, toast } from "../js/ui.js";

// A target in a form field: every digit, ready to be read back (a range as min–max).
const targetText = (target) => (!target ? "" : target.value !== null && target.value !== undefined ? plain(target.value)
  : `${plain(target.min)}–${plain(target.max)}`);
// A target as read: rounded for the eye.
const targetShown = (target) => (!target ? "–" : target.value !== null && target.value !== undefined ? num(target.value)
  : `${num(target.min)}–${num(target.max)}`);

// A target as the API takes it: a value, or a range (the stored form carries the other form's fields as null).
const strip = ({ value, min, max }) => (value !== null && value !== undefined ? { value } : { min, max });

function targetOf(text) {
  const [low, high] = String(text).split(/[–-]/).map((part) => parseNumber(part));
  if (String(text).match(/\d\s*[–-]\s*\d/) && !Number.isNaN(low) && !Number.isNaN(high)) return { min: low, max: high };
  const value = parseNumber(text);
  return Number.isNaN(value) ? null : { value };
}

export async function planning(view, ctx) {
  const [indicators, agreements] = await Promise.all([
    all("indicators", `/indicators?agency_id=${ctx.agencyId}&status=active`),
    get("indicators", `/performance-agreements?agency_id=${ctx.agencyId}&year=${ctx.year}`)]);
  const agreement = agreements.items[0] || null;
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.planning"))} · ${esc(ctx.year)}</h2>
    <section class="panel" aria-labelledby="targets-title"><h3 id="targets-title">${esc(t("planning.targets", { year: ctx.year }))}</h3>
      <div class="scroll"><table id="targets"><tr><th scope="col">${esc(t("col.code"))}</th><th scope="col">${esc(t("col.indicator"))}</th>
        <th scope="col">${esc(t("field.frequency"))}</th><th scope="col">${esc(t("col.target"))}</th><th scope="col">${esc(t("field.reason"))}</th><th scope="col">${esc(t("col.actions"))}</th></tr>
        ${indicators.map((i) => `<tr data-indicator="${esc(i.id)}"><td>${esc(i.code)}</td><td>${esc(i.name)} <span class="muted">(${esc(i.unit)})</span></td>
          <td>${esc(label("frequency", i.frequency))}</td>
          <td><input class="target" size="9" aria-label="${esc(t("planning.target_of", { code: i.code }))}" value="${esc(targetText(i.targets?.[ctx.year]))}"></td>
          <td><input class="reason" size="18" aria-label="${esc(t("planning.reason_of", { code: i.code }))}"></td>
          <td><button type="button" class="save-target">${esc(t("planning.save_target"))}</button><div class="result"></div></td></tr>`).join("")
          || `<tr><td colspan="6" class="muted">${esc(t("planning.no_indicators"))}</td></tr>`}</table></div></section>
    <section class="panel" aria-labelledby="pk-title" id="agreement" data-status="${esc(agreement ? agreement.status : "none")}">
      <h3 id="pk-title">${esc(t("planning.pk", { year: ctx.year }))}</h3><div id="pk-body"></div></section>`;
  $$("#targets tr[data-indicator]", view).forEach((row) => {
    const indicator = indicators.find((i) => i.id === row.dataset.indicator);
    $(".save-target", row).addEventListener("click", (event) => {
      const target = targetOf($(".target", row).value);
      const out = $(".result", row);
      if (!target) { say(out, "entry.not_a_number"); return; }
      act(event.target, out, () => call("indicators", `/indicators/${indicator.id}/targets/${ctx.year}`,
        { method: "PUT", json: { ...target, reason: $(".reason", row).value.trim() || null } }),
      { done: () => { toast(t("planning.target_saved", { code: indicator.code })); ctx.refresh(); } });
    });
  });
  const body = $("#pk-body", view);
  if (!agreement) draftForm(body, ctx, indicators);
  else showAgreement(body, ctx, agreement);
}

function draftForm(body, ctx, indicators) {
  body.innerHTML = `<p>${esc(t("planning.no_pk"))}</p>
    <form class="stack" id="pk-draft"><label>${esc(t("planning.objective"))}<input name="objective" required maxlength="500"></label>
      <fieldset><legend>${esc(t("planning.pk_indicators"))}</legend>
      ${indicators.map((i) => `<label><span><input type="checkbox" name="indicator" value="${esc(i.id)}" ${i.targets?.[ctx.year] ? "checked" : ""}>
        ${esc(i.code)} ${esc(i.name)} · ${esc(t("col.target"))} ${esc(targetShown(i.targets?.[ctx.year]))}</span></label>`).join("")}</fieldset>
      <label>${esc(t("planning.budget"))}<textarea name="budget" aria-describedby="budget-help"></textarea></label>
      <span class="muted" id="budget-help">${esc(t("planning.budget_help"))}</span>
      <label>${esc(t("planning.place"))}<input name="place" maxlength="100"></label>
      <div class="actions"><button type="submit" class="primary">${esc(t("planning.draft"))}</button></div><div id="pk-result"></div></form>`;
  const form = $("#pk-draft", body);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = $$("input[name=indicator]:checked", form).map((c) => indicators.find((i) => i.id === c.value));
    const out = $("#pk-result", body);
    const missing = chosen.filter((i) => !i.targets?.[ctx.year]);
    if (!chosen.length || missing.length) {
      say(out, "planning.needs_targets");
      return;
    }
    const budget = lines(form.budget.value).map((line) => {
      const [programme, amount] = line.split("|").map((p) => p.trim());
      return { programme, amount: parseNumber(amount || "") };
    });
    if (budget.some((b) => !b.programme || Number.isNaN(b.amount))) {
      say(out, "planning.budget_bad");
      return;
    }
    act($("button[type=submit]", form), out, () => call("indicators", "/performance-agreements", { method: "POST", json: {
      agency_id: ctx.agencyId, year: Number(ctx.year), place: form.place.value.trim() || null, budget,
      objectives: [{ name: form.objective.value.trim(),
        indicators: chosen.map((i) => ({ indicator_id: i.id, target: strip(i.targets[ctx.year]) })) }] } }),
    { done: () => { toast(t("planning.drafted")); ctx.refresh(); } });
  });
}

function showAgreement(body, ctx, agreement) {
  const content = agreement.status === "signed" ? agreement.in_force : agreement.draft;
  const etag = `"${agreement.version}"`;
  body.innerHTML = `
    <p id="pk-state">${esc(label("status", agreement.status))}${agreement.status === "signed"
      ? ` · ${esc(t("planning.version", { n: agreement.version_in_force }))}` : ""}</p>
    <div class="scroll"><table id="pk-indicators"><tr><th scope="col">${esc(t("planning.objective"))}</th><th scope="col">${esc(t("col.indicator"))}</th>
      <th scope="col" class="num">${esc(t("col.target"))}</th>${agreement.status === "signed" ? `<th scope="col">${esc(t("planning.new_target"))}</th>` : ""}</tr>
      ${content.objectives.flatMap((o, on) => o.indicators.map((i, n) => `<tr data-indicator="${esc(i.indicator_id)}"><td>${esc(o.code || "")} ${esc(o.name || "")}</td>
        <td>${esc(i.code)} ${esc(i.name)}</td><td class="num">${esc(targetShown(i.target))}</td>
        ${agreement.status === "signed" ? `<td><input class="revised" data-o="${on}" data-i="${n}" size="9"
          aria-label="${esc(t("planning.target_of", { code: i.code }))}" value="${esc(targetText(i.target))}"></td>` : ""}</tr>`)).join("")}</table></div>
    ${(content.budget || []).length ? `<p>${esc(t("planning.budget"))}: ${content.budget.map((b) => `${esc(b.programme)} ${esc(rupiah(b.amount))}`).join("; ")}</p>` : ""}
    ${agreement.status === "draft" ? `<div class="actions"><button type="button" class="primary" id="pk-sign">${esc(t("planning.sign"))}</button></div>` : `
    <form class="actions" id="pk-revise"><label>${esc(t("planning.revision_reason"))} <input name="reason" required maxlength="500"></label>
      <button type="submit">${esc(t("planning.revise"))}</button></form>`}
    <div id="pk-result"></div>
    <h4>${esc(t("planning.history"))}</h4><ol id="pk-history">${(agreement.history || []).map((h) => `<li>${esc(day(h.at, true))} · ${esc(h.by)} ·
      ${esc(t(`planning.action.${h.action}`))}${h.version ? ` · ${esc(t("planning.version", { n: h.version }))}` : ""}${h.reason ? ` · ${esc(h.reason)}` : ""}</li>`).join("")}</ol>`;
  const out = $("#pk-result", body);
  $("#pk-sign", body)?.addEventListener("click", (event) => act(event.target, out, () => call("indicators",
    `/performance-agreements/${agreement.id}/sign`, { method: "POST", etag }),
  { done: () => { toast(t("planning.signed")); ctx.refresh(); },
    onStale: () => { say(out, "planning.stale", {}, "conflict"); } }));
  const revise = $("#pk-revise", body);
  revise?.addEventListener("submit", (event) => {
    event.preventDefault();
    const objectives = content.objectives.map((o) => ({ objective_id: o.objective_id ?? null, name: o.name ?? null,
      indicators: o.indicators.map((i) => ({ indicator_id: i.indicator_id, target: i.target,
        quarterly_targets: Object.fromEntries(Object.entries(i.quarterly_targets || {}).map(([q, v]) => [q, strip(v)])) })) }));
    for (const input of $$("input.revised", body)) {
      if (input.value === input.defaultValue) continue;  // unchanged: sent as it was signed
      const target = targetOf(input.value);
      if (!target) { say(out, "entry.not_a_number"); input.focus(); return; }
      objectives[Number(input.dataset.o)].indicators[Number(input.dataset.i)].target = target;
    }
    for (const o of objectives) for (const i of o.indicators) i.target = strip(i.target);
    act($("button", revise), out, () => call("indicators", `/performance-agreements/${agreement.id}/revisions`, {
      method: "POST", etag, json: { reason: revise.reason.value.trim(), objectives } }),
    { done: () => { toast(t("planning.revised")); ctx.refresh(); },
      onStale: () => { say(out, "planning.stale", {}, "conflict"); } });
  });
}
