// Berkas: the reporting template (download prefilled, upload tried first, then applied) and the report files.

import { call, download } from "../js/api.js";
import { t } from "../js/i18n.js";
import { $, act, esc, say, toast } from "../js/ui.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function filesPanel(panel, ctx) {
  const a = ctx.agencyId;
  const files = [
    ["files.template", `/agencies/${a}/templates/reporting.xlsx?period=${ctx.period}`, `templat-realisasi-${ctx.period}.xlsx`],
    ["files.lkjip_pdf", `/agencies/${a}/reports/${ctx.year}/lkjip.pdf`, `LKjIP-${ctx.year}.pdf`],
    ["files.lkjip_docx", `/agencies/${a}/reports/${ctx.year}/lkjip.docx`, `LKjIP-${ctx.year}.docx`],
    ["files.scorecard_xlsx", `/agencies/${a}/scorecard.xlsx?period=${ctx.period}`, `kartu-kinerja-${ctx.period}.xlsx`],
    ["files.scorecard_csv", `/agencies/${a}/scorecard.csv?period=${ctx.period}`, `kartu-kinerja-${ctx.period}.csv`]];
  panel.innerHTML = `<section class="panel" aria-labelledby="files-title"><h3 id="files-title">${esc(t("files.title"))}</h3>
    <div class="actions">${files.map(([key], n) => `<button type="button" data-file="${n}">${esc(t(key))}</button>`).join("")}</div>
    <form class="stack" id="upload-form"><label>${esc(t("files.upload"))}<input type="file" id="upload-file" accept=".xlsx,${XLSX}" required></label>
      <div class="actions"><button type="submit" id="upload-check">${esc(t("files.check"))}</button>
        <button type="button" class="primary" id="upload-apply">${esc(t("files.apply"))}</button></div>
      <div id="upload-result" aria-live="polite"></div></form></section>`;
  const out = $("#upload-result", panel);
  panel.querySelectorAll("[data-file]").forEach((button) => button.addEventListener("click", () => {
    const [, path, name] = files[Number(button.dataset.file)];
    act(button, out, () => download("indicators", path, name));
  }));
  const upload = (button, dryRun) => {
    const file = $("#upload-file", panel).files[0];
    if (!file) { say(out, "files.choose"); return; }
    act(button, out, () => call("indicators", `/agencies/${a}/templates/reporting?period=${ctx.period}&dry_run=${dryRun}`,
      { method: "POST", body: file, contentType: XLSX }), { done: ({ data }) => {
      out.innerHTML = `<p id="upload-summary">${esc(t(dryRun ? "files.checked" : "files.applied", {
        recorded: data.recorded, submitted: data.submitted, unchanged: data.unchanged, skipped: data.skipped }))}</p>`;
      if (!dryRun) { toast(t("files.applied_toast")); ctx.refresh(); }  // the rows, counts and versions as saved
    } });
  };
  $("#upload-form", panel).addEventListener("submit", (event) => { event.preventDefault(); upload($("#upload-check", panel), true); });
  $("#upload-apply", panel).addEventListener("click", () => upload($("#upload-apply", panel), false));
}
