// Narasi laporan: the LKjIP's chapters, written by the agency's operators (the report prints them).

import { call, maybe } from "../js/api.js";
import { t } from "../js/i18n.js";
import { $, act, esc, toast } from "../js/ui.js";

const CHAPTERS = ["summary", "introduction", "planning", "accountability", "closing"];

export async function narrativesPanel(panel, ctx) {
  const narratives = await maybe("indicators", `/agencies/${ctx.agencyId}/reports/${ctx.year}/narratives`);
  const chapters = narratives?.chapters || {};
  panel.innerHTML = `<section class="panel" aria-labelledby="narratives-title"><h3 id="narratives-title">${esc(t("narratives.title", { year: ctx.year }))}</h3>
    ${CHAPTERS.map((c) => `<form class="stack" data-chapter="${c}"><label>${esc(t(`chapter.${c}`))}
      <textarea name="text">${esc(chapters[c] || "")}</textarea></label>
      <div class="actions"><button type="submit">${esc(t("narratives.save"))}</button></div><div class="result"></div></form>`).join("")}
    </section>`;
  panel.querySelectorAll("form[data-chapter]").forEach((form) => form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chapter = form.dataset.chapter;
    act($("button", form), $(".result", form), () => call("indicators",
      `/agencies/${ctx.agencyId}/reports/${ctx.year}/narratives/chapters/${chapter}`,
      { method: "PUT", json: { text: form.text.value } }), {
      done: () => { toast(t("narratives.saved", { chapter: t(`chapter.${chapter}`) })); } });
  }));
}
