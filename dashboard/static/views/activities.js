// Kegiatan reformasi (operators as reform officers): plan an activity, register its participants one by one or
// pasted as a list, start it, mark attendance, complete it with its summary and outcomes, and follow it up.

import { all, call, get } from "../js/api.js";
import { day, label, lang, num, t } from "../js/i18n.js";
import { $, $$, act, esc, lines, options, say, toast } from "../js/ui.js";

const KINDS = ["fgd", "workshop", "training", "socialisation", "coaching", "assessment", "other"];
const FOLLOW_UP_STATUSES = ["open", "in_progress", "done"];
const WIB = "+07:00";  // times are typed in the seed's zone (WIB) and sent with their offset

const subtrees = new Map();  // the agency and those below it, read once a page: the registry changes seldom

async function subtree(ctx) {
  if (!subtrees.has(ctx.agencyId)) {
    const [self, below] = await Promise.all([get("agencies", `/agencies/${ctx.agencyId}`),
                                             all("agencies", `/agencies/${ctx.agencyId}/descendants`)]);
    subtrees.set(ctx.agencyId, [self, ...below].filter((a) => a.status === "active"));
  }
  return subtrees.get(ctx.agencyId);
}

export async function activities(view, ctx) {
  const [listed, areas, agencies, indicators] = await Promise.all([
    all("reforms", `/activities?agency_id=${ctx.agencyId}&subtree=false&year=${ctx.year}&order=desc`),
    get("reforms", "/areas"), subtree(ctx),
    all("indicators", `/indicators?agency_id=${ctx.agencyId}&status=active`)]);
  const areaName = (a) => (lang() === "en" && a.name_en ? a.name_en : a.name);
  view.innerHTML = `
    <h2 class="view-title" tabindex="-1">${esc(t("view.activities"))} · ${esc(ctx.year)}</h2>
    <div class="scroll"><table id="my-activities"><tr><th scope="col">${esc(t("col.when"))}</th><th scope="col">${esc(t("col.activity"))}</th>
      <th scope="col">${esc(t("col.status"))}</th><th scope="col" class="num">${esc(t("reform.registered"))}</th>
      <th scope="col" class="num">${esc(t("reform.attended"))}</th><th scope="col">${esc(t("col.actions"))}</th></tr>
      ${listed.map((a) => `<tr data-activity="${esc(a.id)}"><td>${esc(day(a.start))}</td><td>${esc(a.title)}</td>
        <td class="status">${esc(label("activity", a.status))}</td><td class="num">${num(a.registered)}</td><td class="num">${num(a.attended)}</td>
        <td><button type="button" class="open">${esc(t("action.open"))}</button></td></tr>`).join("")
        || `<tr><td colspan="6" class="muted">${esc(t("activities.none"))}</td></tr>`}</table></div>
    <div id="activities-result"></div>
    <section class="panel" id="activity" hidden aria-labelledby="activity-title"></section>
    <details class="panel" id="plan-panel"><summary>${esc(t("activities.plan"))}</summary>
    <form class="stack" id="plan-form">
      <label>${esc(t("field.title"))}<input name="title" required maxlength="300"></label>
      <label>${esc(t("field.kind"))}<select name="kind">${options(KINDS, "kind", "fgd")}</select></label>
      <label>${esc(t("field.area"))}<select name="area">${areas.map((a) => `<option value="${esc(a.code)}">${esc(areaName(a))}</option>`).join("")}</select></label>
      <label>${esc(t("field.start"))}<input name="start" type="datetime-local" required></label>
      <label>${esc(t("field.end"))}<input name="end" type="datetime-local" required></label>
      <label>${esc(t("field.venue"))}<input name="venue" maxlength="300"></label>
      <label>${esc(t("field.facilitator"))}<input name="facilitator" maxlength="200"></label>
      <label>${esc(t("field.planned_participants"))}<input name="planned" type="number" min="0" max="100000"></label>
      <fieldset><legend>${esc(t("activities.feeds"))}</legend>${indicators.map((i) => `<label><span><input type="checkbox" name="linked" value="${esc(i.id)}">
        ${esc(i.code)} ${esc(i.name)}</span></label>`).join("") || `<span class="muted">${esc(t("planning.no_indicators"))}</span>`}</fieldset>
      <div class="actions"><button type="submit" class="primary">${esc(t("activities.plan_submit"))}</button></div><div id="plan-result"></div>
    </form></details>`;
  const form = $("#plan-form", view);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { organiser_agency_id: ctx.agencyId, title: form.title.value.trim(), kind: form.kind.value, area: form.area.value,
      start: `${form.start.value}:00${WIB}`, end: `${form.end.value}:00${WIB}`, venue: form.venue.value.trim() || null,
      planned_participants: form.planned.value ? Number(form.planned.value) : null,
      linked_indicator_ids: $$("input[name=linked]:checked", form).map((c) => c.value) };
    if (form.facilitator.value.trim()) body.facilitator = { name: form.facilitator.value.trim() };
    act($("button[type=submit]", form), $("#plan-result", view), () => call("reforms", "/activities", { method: "POST", json: body }),
      { done: async ({ data }) => { toast(t("activities.planned", { title: data.title })); await ctx.refresh(); } });
  });
  $$("#my-activities tr[data-activity] .open", view).forEach((button) => button.addEventListener("click", () =>
    act(button, $("#activities-result", view), () => openActivity(view, ctx, button.closest("tr").dataset.activity, agencies))));
  const remembered = sessionStorage.getItem("kinerja.activity");
  if (remembered && listed.some((a) => a.id === remembered)) await openActivity(view, ctx, remembered, agencies, false);
}

/** Pasted participants, one per line: name; position; agency code (a tab, as copied from a sheet, works too). */
export function participantsOf(text, agencies) {
  const byCode = Object.fromEntries(agencies.map((a) => [a.code.toLowerCase(), a]));
  const byName = Object.fromEntries(agencies.map((a) => [a.name.toLowerCase(), a]));
  const bad = [];
  const people = lines(text).map((line, n) => {
    const [name, position, where] = line.split(/\t|;/).map((p) => p.trim());
    const agency = where && (byCode[where.toLowerCase()] || byName[where.toLowerCase()]);
    if (!name || !agency) bad.push(n + 1);
    return agency ? { name, position: position || null, agency_id: agency.id } : null;
  });
  return { people, bad };
}

async function openActivity(view, ctx, id, agencies, focus = true) {
  sessionStorage.setItem("kinerja.activity", id);
  const [{ data: activity, etag }, participants, followUps] = await Promise.all([
    call("reforms", `/activities/${id}`), get("reforms", `/activities/${id}/participants`),
    get("reforms", `/activities/${id}/follow-ups`)]);
  const panel = $("#activity", view);
  const agencyName = Object.fromEntries(agencies.map((a) => [a.id, a.name]));
  const open = activity.status === "planned" || activity.status === "in_progress";
  panel.hidden = false;
  panel.innerHTML = `
    <h3 id="activity-title" tabindex="-1">${esc(activity.title)}</h3>
    <p id="activity-status" data-status="${esc(activity.status)}">${esc(label("activity", activity.status))} · ${esc(day(activity.start, true))}
      · ${esc(t("activities.counts", { registered: num(participants.registered), attended: num(participants.attended) }))}</p>
    <div class="actions">
      ${activity.status === "planned" ? `<button type="button" class="primary" id="act-start">${esc(t("activities.start"))}</button>` : ""}
    </div><div id="act-result"></div>
    <h4>${esc(t("activities.participants"))}</h4>
    <div class="scroll"><table id="participants"><tr><th scope="col">${esc(t("field.name"))}</th><th scope="col">${esc(t("field.position"))}</th>
      <th scope="col">${esc(t("col.agency"))}</th><th scope="col">${esc(t("activities.attended"))}</th></tr>
      ${participants.items.map((p) => `<tr data-participant="${esc(p.id)}"><td>${esc(p.name)}</td><td>${esc(p.position || "")}</td>
        <td>${esc(agencyName[p.agency_id] || p.agency_id)}</td>
        <td>${activity.status === "in_progress" ? `<label><input type="checkbox" class="present" ${p.attended ? "checked" : ""}>
          <span class="sr-only">${esc(t("activities.attended_of", { name: p.name }))}</span></label>`
          : esc(p.attended === null || p.attended === undefined ? "–" : t(p.attended ? "activities.present" : "activities.absent"))}</td></tr>`).join("")
        || `<tr><td colspan="4" class="muted">${esc(t("activities.no_participants"))}</td></tr>`}</table></div>
    ${activity.status === "in_progress" ? `<div class="actions"><button type="button" id="mark-all">${esc(t("activities.mark_all"))}</button>
      <button type="button" class="primary" id="save-attendance">${esc(t("activities.save_attendance"))}</button></div>` : ""}
    ${open ? `
    <form class="stack" id="register-one"><h4>${esc(t("activities.register_one"))}</h4>
      <label>${esc(t("field.name"))}<input name="name" required maxlength="200"></label>
      <label>${esc(t("field.position"))}<input name="position" maxlength="200"></label>
      <label>${esc(t("col.agency"))}<select name="agency">${agencies.map((a) => `<option value="${esc(a.id)}">${esc(a.code)} ${esc(a.name)}</option>`).join("")}</select></label>
      <label>${esc(t("field.nip"))}<input name="nip" inputmode="numeric" pattern="[0-9]{18}" maxlength="18"></label>
      <div class="actions"><button type="submit">${esc(t("activities.register"))}</button></div></form>
    <form class="stack" id="register-list"><h4>${esc(t("activities.register_list"))}</h4>
      <label>${esc(t("activities.paste"))}<textarea name="list" rows="8" aria-describedby="paste-help"></textarea></label>
      <span id="paste-help" class="muted">${esc(t("activities.paste_help"))}</span>
      <div class="actions"><button type="submit">${esc(t("activities.register"))}</button></div></form>` : ""}
    ${activity.status === "in_progress" ? `
    <form class="stack" id="complete-form"><h4>${esc(t("activities.complete"))}</h4>
      <label>${esc(t("field.summary"))}<textarea name="summary" required maxlength="5000"></textarea></label>
      <label>${esc(t("field.outcomes"))}<textarea name="outcomes" aria-describedby="outcomes-help"></textarea></label>
      <span id="outcomes-help" class="muted">${esc(t("activities.one_per_line"))}</span>
      <div class="actions"><button type="submit" class="primary">${esc(t("activities.complete_submit"))}</button></div></form>` : ""}
    ${activity.summary ? `<p id="activity-summary"><strong>${esc(t("field.summary"))}:</strong> ${esc(activity.summary)}</p>
      <ul>${(activity.outcomes || []).map((o) => `<li>${esc(o)}</li>`).join("")}</ul>` : ""}
    <h4>${esc(t("activities.follow_ups"))}</h4>
    <ul class="tree" id="follow-ups">${followUps.map((f) => `<li data-follow-up="${esc(f.id)}" data-version="${esc(f.version)}">
      <strong>${esc(f.action)}</strong> · ${esc(agencyName[f.owner_agency_id] || "")} · ${esc(t("activities.due", { date: day(f.due) }))}
      ${f.overdue ? `<span class="tag rejected">${esc(t("reform.overdue"))}</span>` : ""}
      <form class="actions follow-up-form"><label>${esc(t("col.status"))} <select name="status" ${f.status === "done" ? "disabled" : ""}>${options(FOLLOW_UP_STATUSES, "followup", f.status)}</select></label>
        <label>${esc(t("activities.progress"))} <input name="note" value="${esc(f.note || "")}" maxlength="2000" size="30"></label>
        <button type="submit" ${f.status === "done" ? "disabled" : ""}>${esc(t("action.save"))}</button></form></li>`).join("")
      || `<li class="muted">${esc(t("activities.no_follow_ups"))}</li>`}</ul>
    ${["in_progress", "completed"].includes(activity.status) ? `<form class="stack" id="follow-up-new"><h4>${esc(t("activities.add_follow_up"))}</h4>
      <label>${esc(t("field.action"))}<input name="action" required maxlength="1000"></label>
      <label>${esc(t("activities.owner"))}<select name="owner">${agencies.map((a) => `<option value="${esc(a.id)}">${esc(a.code)} ${esc(a.name)}</option>`).join("")}</select></label>
      <label>${esc(t("field.due"))}<input name="due" type="date" required></label>
      <div class="actions"><button type="submit">${esc(t("activities.add"))}</button></div></form>` : ""}
    <div id="activity-result"></div>`;
  if (focus) $("#activity-title", panel).focus();
  const out = $("#activity-result", panel);
  const base = `/activities/${id}`;
  const again = (key, params = {}) => async () => { toast(t(key, params)); await ctx.refresh(); };
  $("#act-start", panel)?.addEventListener("click", (event) => act(event.target, $("#act-result", panel),
    () => call("reforms", `${base}/start`, { method: "POST", etag }), { done: again("activities.started") }));
  $("#mark-all", panel)?.addEventListener("click", () => $$("#participants input.present", panel).forEach((box) => { box.checked = true; }));
  $("#save-attendance", panel)?.addEventListener("click", (event) => {
    const rows = $$("#participants tr[data-participant]", panel);
    const attended = rows.filter((r) => $(".present", r).checked).map((r) => r.dataset.participant);
    const absent = rows.filter((r) => !$(".present", r).checked).map((r) => r.dataset.participant);
    act(event.target, out, () => call("reforms", `${base}/attendance`, { method: "POST", json: { attended, absent } }),
      { done: again("activities.attendance_saved", { n: num(attended.length) }) });
  });
  const one = $("#register-one", panel);
  one?.addEventListener("submit", (event) => {
    event.preventDefault();
    const person = { name: one.name.value.trim(), position: one.position.value.trim() || null, agency_id: one.agency.value,
      nip: one.nip.value.trim() || null };
    act($("button", one), out, () => call("reforms", `${base}/participants`, { method: "POST", json: { participants: [person] } }),
      { done: again("activities.registered", { n: num(1) }) });
  });
  const list = $("#register-list", panel);
  list?.addEventListener("submit", (event) => {
    event.preventDefault();
    const { people, bad } = participantsOf(list.list.value, agencies);
    if (bad.length || !people.length) {
      say(out, "activities.paste_bad", { lines: bad.join(", ") || "–" });
      return;
    }
    act($("button", list), out, () => call("reforms", `${base}/participants`, { method: "POST", json: { participants: people } }),
      { done: again("activities.registered", { n: num(people.length) }) });
  });
  const complete = $("#complete-form", panel);
  complete?.addEventListener("submit", (event) => {
    event.preventDefault();
    act($("button", complete), out, () => call("reforms", `${base}/complete`, { method: "POST",
      json: { summary: complete.summary.value.trim(), outcomes: lines(complete.outcomes.value) } }),
    { done: again("activities.completed") });
  });
  $$("#follow-ups li[data-follow-up]", panel).forEach((li) => {
    const form = $("form", li);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act($("button", form), out, () => call("reforms", `/follow-ups/${li.dataset.followUp}`, { method: "PATCH",
        etag: `"${li.dataset.version}"`, json: { status: form.status.value, note: form.note.value.trim() || null } }),
      { done: again("activities.follow_up_saved"),
        onStale: () => { say(out, "activities.stale", {}, "conflict"); } });
    });
  });
  const add = $("#follow-up-new", panel);
  add?.addEventListener("submit", (event) => {
    event.preventDefault();
    act($("button", add), out, () => call("reforms", `${base}/follow-ups`, { method: "POST",
      json: { action: add.action.value.trim(), owner_agency_id: add.owner.value, due: add.due.value } }),
    { done: again("activities.follow_up_added") });
  });
}
