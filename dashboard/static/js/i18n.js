// The page's words and formats: one catalogue per language (served as /i18n/<lang>.json: the page's own words
// and the labels of codes), numbers and dates through Intl. Bahasa Indonesia first; the choice is remembered.

const STORE = "kinerja.lang";
export const LANGUAGES = ["id", "en"];
const state = { lang: "id", messages: {} };

export const lang = () => state.lang;
const locale = () => (state.lang === "id" ? "id-ID" : "en-GB");

export async function useLanguage(wanted) {
  const chosen = LANGUAGES.includes(wanted) ? wanted : (localStorage.getItem(STORE) || "id");
  const response = await fetch(`/i18n/${chosen}.json`);
  state.messages = await response.json();
  state.lang = chosen;
  localStorage.setItem(STORE, chosen);
  document.documentElement.lang = chosen;
  translateStatic(document);
}

export function has(key) { return Object.prototype.hasOwnProperty.call(state.messages, key); }

export function t(key, params = {}) {
  if (!has(key)) { console.error(`missing message ${key}`); return key; }
  return state.messages[key].replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? ""));
}

/** The label of a code (a status, an agency type, a kind): its catalogue entry, else the code itself. */
export const label = (group, code) => (code === null || code === undefined ? "–"
  : has(`${group}.${code}`) ? t(`${group}.${code}`) : String(code));

/** Elements carrying data-t (text) or data-t-label (aria-label) get their words in the current language. */
export function translateStatic(root) {
  root.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  root.querySelectorAll("[data-t-label]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.tLabel)));
}

export function num(value, digits = 2) {
  if (value === null || value === undefined || value === "") return "–";
  // Half to even, as Babel rounds in the reports and sheets (12,345 → 12,34), so the page and the PDF agree.
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, roundingMode: "halfEven" }).format(value);
}

/** A value the API gives in percent already (achievement 78.89 → 78,89%). */
export const pct = (value) => (value === null || value === undefined ? "–" : `${num(value)}%`);

/** A share the API gives as a fraction (coverage 0.78 → 78%): a percentage, the one conversion the page makes. */
export const share = (value) => (value === null || value === undefined ? "–"
  : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(value));

export const rupiah = (value) => (value === null || value === undefined ? "–"
  : new Intl.NumberFormat(locale(), { style: "currency", currency: "IDR", maximumFractionDigits: 0 }).format(value));

/** 30 Januari 2025: a date (YYYY-MM-DD, read as that day) or an instant (shown in WIB, the seed's zone). */
export function day(text, withTime = false) {
  if (!text) return "–";
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const value = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  const options = { day: "numeric", month: "long", year: "numeric", timeZone: dateOnly ? "UTC" : "Asia/Jakarta" };
  if (withTime && !dateOnly) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
  return new Intl.DateTimeFormat(locale(), options).format(value);
}

/** A number as it goes into a form field to be edited: every digit, no grouping, the language's decimal mark
 * (1234,5 in Indonesian, 1234.5 in English), so reading it back gives the same number. */
export const plain = (value) => (value === null || value === undefined ? ""
  : state.lang === "id" ? String(value).replace(".", ",") : String(value));

/** A number typed in a form. In Indonesian the way an Indonesian writes it (1.234,5) or the international way
 * (1234.5); a lone dot followed by exactly three digits groups thousands (1.250 is one thousand two hundred fifty):
 * the rule of shared.formats.parse_number, which reads the uploaded sheets. In English, commas group thousands
 * (1,234.5). NaN if it is no number. */
export function parseNumber(text, language = state.lang) {
  let cleaned = String(text).trim().replace(/[\s\u00a0]/g, "");
  if (!cleaned) return NaN;
  if (language === "en") {
    cleaned = cleaned.replace(/,/g, "");
    return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(cleaned) ? Number(cleaned) : NaN;
  }
  const dots = (cleaned.match(/\./g) || []).length;
  const [whole, fraction] = cleaned.split(".");
  if (cleaned.includes(",")) cleaned = cleaned.replace(/\./g, "").replace(",", ".");
  else if (dots > 1 || (dots === 1 && fraction.length === 3 && !["", "0"].includes(whole.replace(/^[-+]/, "")))) {
    cleaned = cleaned.replace(/\./g, "");
  }
  return /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(cleaned) ? Number(cleaned) : NaN;
}

/** A period as a person says it: 2025, Triwulan I 2025, Maret 2025. */
export function period(text) {
  const s = String(text || "");
  if (/^\d{4}Q[1-4]$/.test(s)) return t("period.quarter", { q: ["I", "II", "III", "IV"][Number(s[5]) - 1], year: s.slice(0, 4) });
  if (/^\d{6}$/.test(s)) {
    return new Intl.DateTimeFormat(locale(), { month: "long", year: "numeric", timeZone: "UTC" })
      .format(new Date(`${s.slice(0, 4)}-${s.slice(4)}-01T00:00:00Z`));
  }
  return s;
}
