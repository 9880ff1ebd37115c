// Entri data (operators): the period's realisations of the agency's indicators — value, evidence links, note —
// saved as drafts and submitted; what was rejected, with the reason, to fix and resubmit; the counts of what is
// missing, draft and rejected as the API counts them; the templates, the narratives and the report files.

import { all, call, get } from "../js/api.js";
import { day, label, num, parseNumber, period, plain, t } from "../js/i18n.js";
import { $, $$, act, esc, evidenceOf, evidenceText, say, toast } from "../js/ui.js";
import { containing, periodsInside } from "./periods.js";
import { filesPanel } from "./files.js";
import { narrativesPanel } from "./narratives.js";

const EDITABLE = new Set(["missing", "draft", "rejected"]);
// An indicator fed by reform activities takes its count from the reforms service, not from a person.
const fed = (row) => Array.isArray(row.indicator.fed_by_reforms);

export async function entry(view, ctx) {
  const [indicators, recorded, quality, locks] = await Promise.all([
    all("indicators", `/indicators?agency_id=${ctx.agencyId}&status=active`),
    all("indicators", `/realisations?agency_id=${ctx.agencyId}&period=${ctx.period}`),
    get("indicators", `/agencies/${ctx.agencyId}/data-quality?period=${ctx.period}`),
    get("indicators", `/period-locks?agency_id=${ctx.agencyId}&covering=true&locked_only=true`)]);
  const found = Object.fromEntries(recorded.map((r) => [`${r.indicator_id}:${r.period}`, r]));
  const closed = new Set(locks.map((l) => l.period));  // its own locks and its ancestors'
  const rows = indicators.flatMap((i) => periodsInside(ctx.period, i.frequency)
    .map((p) => ({ indicator: i, period: p, realisation: found[`${i.id}:${p}`] || null,
                   locked: containing(p).some((c) => closed.has(c)) })));
  const stateOf = (row) => (row.realisation ? row.realisation.status : "missing");
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.entry"))} · ${esc(period(ctx.period))}</h2>
    <div class="counts" id="entry-counts" aria-label="${esc(t("entry.counts"))}">
      ${["missing", "draft", "rejected", "submitted", "verified"].map((s) => `<div>${esc(label("status", s))}
        <strong id="e-${s}">${num(quality.counts[s])}</strong></div>`).join("")}</div>
    <p class="muted">${esc(t("entry.counts_note"))}</p>
    <div class="filters"><label>${esc(t("entry.show"))} <select id="e-show"><option value="">${esc(t("entry.show_all"))}</option>
      <option value="todo">${esc(t("entry.show_todo"))}</option></select></label></div>
    <div class="scroll"><table id="entries"><caption class="sr-only">${esc(t("view.entry"))}</caption>
      <tr><th scope="col">${esc(t("col.code"))}</th><th scope="col">${esc(t("col.indicator"))}</th><th scope="col">${esc(t("col.period"))}</th>
        <th scope="col" class="num">${esc(t("col.realised"))}</th><th scope="col">${esc(t("col.status"))}</th><th scope="col">${esc(t("col.actions"))}</th></tr>
      ${rows.map((row) => {
        const r = row.realisation;
        const s = stateOf(row);
        return `<tr data-entry="${esc(row.indicator.id)}:${esc(row.period)}" data-status="${esc(s)}">
          <td>${esc(row.indicator.code)}</td><td>${esc(row.indicator.name)} <span class="muted">(${esc(row.indicator.unit)})</span></td>
          <td>${esc(period(row.period))}</td><td class="num">${num(r?.value)}</td>
          <td><span class="tag ${esc(s)}">${esc(label("status", s))}</span>${row.locked ? ` <span class="tag">${esc(t("entry.locked"))}</span>` : ""}
            ${s === "rejected" ? `<div class="reason">${esc(t("entry.rejected_because", { reason: r.reason }))}</div>` : ""}</td>
          <td>${fed(row) ? `<span class="muted">${esc(t("entry.fed"))}</span>` : ""}${EDITABLE.has(s) && !row.locked && !fed(row) ? `<button type="button" class="edit">${esc(t(s === "missing" ? "entry.fill" : "entry.edit"))}</button>` : ""}
            ${s === "draft" && !row.locked && !fed(row) ? `<button type="button" class="submit">${esc(t("entry.submit"))}</button>` : ""}</td></tr>`;
      }).join("") || `<tr><td colspan="6" class="muted">${esc(t("entry.nothing"))}</td></tr>`}
    </table></div>
    <div id="row-result"></div>
    <section class="panel" id="editor" hidden aria-labelledby="editor-title"></section>
    <div id="files-panel"></div><div id="narratives-panel"></div>`;
  $$("#entries tr[data-entry]", view).forEach((tr) => {
    const row = rows.find((r) => `${r.indicator.id}:${r.period}` === tr.dataset.entry);
    tr.querySelector(".edit")?.addEventListener("click", () => openEditor(view, ctx, row));
    const submit = tr.querySelector(".submit");
    submit?.addEventListener("click", () => act(submit, $("#row-result", view), () => call("indicators",
      `/indicators/${row.indicator.id}/realisations/${row.period}/submit`, { method: "POST", etag: `"${row.realisation.version}"` }),
    { done: () => { toast(t("entry.submitted", { code: row.indicator.code })); ctx.refresh(); },
      onStale: () => { say($("#row-result", view), "entry.stale_row", {}, "conflict"); } }));
  });
  // What still needs the operator: missing, a draft, or rejected (the rows stay; the others are only hidden).
  $("#e-show", view).addEventListener("change", (event) => $$("#entries tr[data-entry]", view).forEach((tr) => {
    tr.hidden = event.target.value === "todo" && !EDITABLE.has(tr.dataset.status);
  }));
  filesPanel($("#files-panel", view), ctx);
  await narrativesPanel($("#narratives-panel", view), ctx, indicators);
}

function openEditor(view, ctx, row) {
  const editor = $("#editor", view);
  const r = row.realisation;
  let etag = r ? `"${r.version}"` : null;
  editor.hidden = false;
  editor.innerHTML = `
    <h3 id="editor-title" tabindex="-1">${esc(row.indicator.code)} ${esc(row.indicator.name)} · ${esc(period(row.period))}</h3>
    ${r?.status === "rejected" ? `<p class="error" id="editor-reason">${esc(t("entry.rejected_because", { reason: r.reason }))}</p>` : ""}
    <form class="stack" id="entry-form">
      <label>${esc(t("field.value"))} (${esc(row.indicator.unit)})<input id="f-value" inputmode="decimal" required value="${esc(plain(r?.value))}"></label>
      <label>${esc(t("field.evidence"))}<textarea id="f-evidence" aria-describedby="evidence-help">${esc(evidenceText(r?.evidence))}</textarea></label>
      <span id="evidence-help" class="muted">${esc(t("entry.evidence_help"))}</span>
      <label>${esc(t("field.note"))}<textarea id="f-note">${esc(r?.note ?? "")}</textarea></label>
      <div class="actions"><button type="submit" class="primary" id="save-draft">${esc(t("entry.save_draft"))}</button>
        <button type="button" id="save-submit">${esc(t("entry.save_submit"))}</button>
        <button type="button" id="close-editor">${esc(t("action.close"))}</button></div>
      <div id="editor-result"></div>
    </form>`;
  $("#editor-title", editor).focus();
  const out = $("#editor-result", editor);
  const base = `/indicators/${row.indicator.id}/realisations/${row.period}`;
  const body = () => {  // null when the value is no number
    const value = parseNumber($("#f-value", editor).value);
    if (Number.isNaN(value)) return null;
    return { value, evidence: evidenceOf($("#f-evidence", editor).value), note: $("#f-note", editor).value.trim() || null };
  };
  const save = async (andSubmit) => {
    const fields = body();
    if (!fields) { say(out, "entry.not_a_number"); return null; }
    const saved = await call("indicators", base, { method: "PUT", json: fields, etag });
    etag = saved.etag;
    if (andSubmit) etag = (await call("indicators", `${base}/submit`, { method: "POST", etag })).etag;
    return saved;
  };
  let submitting = false;  // what the retry repeats: a save, or a save and submit
  // Saved over a newer version: show what changed, keep what the user typed, and let them save over it.
  const onStale = async () => {
    const { data: now, etag: current } = await call("indicators", base);
    const last = (now.history || []).slice(-1)[0] || {};
    out.innerHTML = `<div class="conflict" role="alert" id="stale">${esc(t("entry.stale", {
      by: last.by || now.submitted_by || "–", at: day(last.at || now.updated_at, true), value: num(now.value),
      status: label("status", now.status) }))} <button type="button" id="retry">${esc(t("entry.retry"))}</button></div>`;
    $("#retry", out).addEventListener("click", () => { etag = current; $(submitting ? "#save-submit" : "#save-draft", editor).click(); });
  };
  const run = (button, andSubmit) => { submitting = andSubmit; return act(button, out, () => save(andSubmit), {
    onStale,
    done: (saved) => {
      if (!saved) return;
      toast(t(andSubmit ? "entry.submitted" : "entry.saved", { code: row.indicator.code }));
      ctx.refresh();
    },
  }); };
  $("#entry-form", editor).addEventListener("submit", (event) => { event.preventDefault(); run($("#save-draft", editor), false); });
  $("#save-submit", editor).addEventListener("click", () => run($("#save-submit", editor), true));
  $("#close-editor", editor).addEventListener("click", () => {
    editor.hidden = true;
    editor.innerHTML = "";
    ($(`#entries tr[data-entry="${row.indicator.id}:${row.period}"] button`, view) || $(".view-title", view)).focus();
  });
}

