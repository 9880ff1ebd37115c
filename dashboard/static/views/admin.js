// Admin: the registry (the agency's own record, its units, a new unit), period locks, and the rule packs (a new
// version from the latest, and a version put in force from a date). Evaluators see the locks only.

import { all, call, get } from "../js/api.js";
import { day, label, num, parseNumber, plain, t } from "../js/i18n.js";
import { $, act, esc, options, say, toast } from "../js/ui.js";
import { locksPanel } from "./locks.js";

const TYPES = ["province", "regency", "city", "work_unit", "sub_unit", "unit", "ministry", "institution", "agency"];

export async function admin(view, ctx) {
  view.innerHTML = `<h2 class="view-title" tabindex="-1">${esc(t("view.admin"))}</h2>
    <div id="registry-panel"></div><div id="locks-panel"></div><div id="rulepacks-panel"></div>`;
  const isAdmin = ctx.me.role === "admin";
  await Promise.all([isAdmin ? registry($("#registry-panel", view), ctx) : null, locksPanel($("#locks-panel", view), ctx),
                     isAdmin ? rulePacks($("#rulepacks-panel", view), ctx) : null]);
}

async function registry(panel, ctx) {
  const [{ data: agency, etag }, children] = await Promise.all([call("agencies", `/agencies/${ctx.agencyId}`),
                                                                 all("agencies", `/agencies/${ctx.agencyId}/children`)]);
  panel.innerHTML = `<section class="panel" aria-labelledby="registry-title"><h3 id="registry-title">${esc(t("admin.registry"))}</h3>
    <form class="stack" id="agency-form"><p>${esc(agency.code)} · ${esc(label("type", agency.type))} · ${esc(label("status", agency.status))}</p>
      <label>${esc(t("field.name"))}<input name="name" required maxlength="200" value="${esc(agency.name)}"></label>
      <label>${esc(t("field.short_name"))}<input name="short_name" maxlength="60" value="${esc(agency.short_name || "")}"></label>
      <label>${esc(t("field.head_name"))}<input name="head_name" maxlength="200" value="${esc(agency.head?.name || "")}"></label>
      <label>${esc(t("field.head_title"))}<input name="head_title" maxlength="200" value="${esc(agency.head?.title || "")}"></label>
      <label>${esc(t("field.reason"))}<input name="reason" maxlength="500"></label>
      <div class="actions"><button type="submit" class="primary">${esc(t("action.save"))}</button></div><div id="agency-result"></div></form>
    <h4>${esc(t("admin.units", { n: num(children.length) }))}</h4>
    <ul class="tree" id="units">${children.map((c) => `<li><a href="#" data-agency="${esc(c.id)}">${esc(c.name)}</a>
      <span class="tag">${esc(c.code)}</span> ${esc(label("type", c.type))} · ${esc(label("status", c.status))}</li>`).join("")
      || `<li class="muted">${esc(t("overview.no_units"))}</li>`}</ul>
    <form class="stack" id="unit-form"><h4>${esc(t("admin.new_unit"))}</h4>
      <label>${esc(t("col.code"))}<input name="code" required maxlength="50"></label>
      <label>${esc(t("field.name"))}<input name="name" required maxlength="200"></label>
      <label>${esc(t("field.short_name"))}<input name="short_name" maxlength="60"></label>
      <label>${esc(t("field.type"))}<select name="type">${options(TYPES, "type", "work_unit")}</select></label>
      <div class="actions"><button type="submit">${esc(t("admin.register"))}</button></div><div id="unit-result"></div></form></section>`;
  const form = $("#agency-form", panel);
  let current = etag;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const head = form.head_name.value.trim() && form.head_title.value.trim()
      ? { name: form.head_name.value.trim(), title: form.head_title.value.trim() } : null;
    const body = { name: form.name.value.trim(), short_name: form.short_name.value.trim() || null, head };
    if (form.reason.value.trim()) body.reason = form.reason.value.trim();
    const out = $("#agency-result", panel);
    act($("button", form), out, () => call("agencies", `/agencies/${ctx.agencyId}`, { method: "PATCH", json: body, etag: current }), {
      done: () => { toast(t("admin.saved")); ctx.refresh(); },
      // Changed by someone else since it was read: show their version, keep ours, offer to save over it.
      onStale: async () => {
        const { data: now, etag: latest } = await call("agencies", `/agencies/${ctx.agencyId}`);
        out.innerHTML = `<div class="conflict" role="alert" id="stale">${esc(t("admin.stale", { name: now.name, short: now.short_name || "–",
          head: now.head?.name || "–" }))} <button type="button" id="retry">${esc(t("entry.retry"))}</button></div>`;
        $("#retry", out).addEventListener("click", () => { current = latest; $("button", form).click(); });
      } });
  });
  const unit = $("#unit-form", panel);
  unit.addEventListener("submit", (event) => {
    event.preventDefault();
    act($("button", unit), $("#unit-result", panel), () => call("agencies", "/agencies", { method: "POST", json: {
      code: unit.code.value.trim(), name: unit.name.value.trim(), short_name: unit.short_name.value.trim() || null,
      type: unit.type.value, parent_id: ctx.agencyId } }), { done: () => { toast(t("admin.registered")); ctx.refresh(); } });
  });
}

async function rulePacks(panel, ctx) {
  const packs = await get("indicators", "/rulepacks");
  const latest = packs[packs.length - 1];
  panel.innerHTML = `<section class="panel" aria-labelledby="rulepacks-title"><h3 id="rulepacks-title">${esc(t("admin.rulepacks"))}</h3>
    <div class="scroll"><table id="rulepacks"><tr><th scope="col">${esc(t("admin.version"))}</th><th scope="col">${esc(t("admin.effective"))}</th>
      <th scope="col" class="num">${esc(t("admin.cap"))}</th><th scope="col">${esc(t("admin.lights"))}</th><th scope="col">${esc(t("admin.bands"))}</th></tr>
      ${packs.map((p) => `<tr data-version="${esc(p.version)}"><td>${esc(p.version)}</td><td>${esc(p.effective_from ? day(p.effective_from) : t("admin.proposed"))}</td>
        <td class="num">${num(p.cap)}</td><td>${esc(t("admin.light_rule", { green: num(p.green_from), yellow: num(p.yellow_from) }))}</td>
        <td>${p.bands.map((b) => `${esc(b.label || b.code)} ≥ ${num(b.min)}`).join("; ")}</td></tr>`).join("")}</table></div>
    <form class="stack" id="rulepack-new"><h4>${esc(t("admin.new_version", { version: latest.version }))}</h4>
      <label>${esc(t("admin.effective"))}<input name="effective_from" type="date"></label>
      <label>${esc(t("admin.cap"))}<input name="cap" value="${esc(plain(latest.cap))}" inputmode="decimal"></label>
      <label>${esc(t("admin.green_from"))}<input name="green_from" value="${esc(plain(latest.green_from))}" inputmode="decimal"></label>
      <label>${esc(t("admin.yellow_from"))}<input name="yellow_from" value="${esc(plain(latest.yellow_from))}" inputmode="decimal"></label>
      <div class="actions"><button type="submit">${esc(t("admin.add_version"))}</button></div></form>
    <form class="actions" id="rulepack-effective"><label>${esc(t("admin.version"))} <select name="version">${packs.map((p) =>
      `<option>${esc(p.version)}</option>`).join("")}</select></label>
      <label>${esc(t("admin.effective"))} <input name="effective_from" type="date" required></label>
      <label>${esc(t("field.reason"))} <input name="reason" required maxlength="500"></label>
      <button type="submit">${esc(t("admin.make_effective"))}</button></form><div id="rulepack-result"></div></section>`;
  const out = $("#rulepack-result", panel);
  const add = $("#rulepack-new", panel);
  add.addEventListener("submit", (event) => {
    event.preventDefault();
    const numbers = ["cap", "green_from", "yellow_from"].map((f) => parseNumber(add[f].value));
    if (numbers.some(Number.isNaN)) { say(out, "entry.not_a_number"); return; }
    const [cap, green, yellow] = numbers;
    act($("button", add), out, () => call("indicators", "/rulepacks", { method: "POST", json: {
      effective_from: add.effective_from.value || null, method: latest.method, formulas: latest.formulas, range_rule: latest.range_rule,
      cap, floor: latest.floor, green_from: green, yellow_from: yellow,
      bands: latest.bands.map(({ code, label: name, min, inclusive }) => ({ code, label: name, min, inclusive })) } }),
    { done: () => { toast(t("admin.version_added")); ctx.refresh(); } });
  });
  const effective = $("#rulepack-effective", panel);
  effective.addEventListener("submit", (event) => {
    event.preventDefault();
    act($("button", effective), out, () => call("indicators", `/rulepacks/${effective.version.value}/effective-from`, { method: "PUT",
      json: { effective_from: effective.effective_from.value, reason: effective.reason.value.trim() } }),
    { done: () => { toast(t("admin.effective_set")); ctx.refresh(); } });
  });
}

