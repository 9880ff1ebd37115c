// The calendar of reporting periods (which periods an indicator reports inside the one chosen): no figures.

const QUARTERS = ["Q1", "Q2", "Q3", "Q4"];
const months = (year, from = 1, to = 12) => Array.from({ length: to - from + 1 }, (_, n) => `${year}${String(from + n).padStart(2, "0")}`);

/** The periods of `frequency` inside `period` (2025, 2025Q2 or 202504); none when the frequency is coarser. */
export function periodsInside(period, frequency) {
  const year = period.slice(0, 4);
  if (/^\d{4}$/.test(period)) {
    return { annual: [year], quarterly: QUARTERS.map((q) => `${year}${q}`), monthly: months(year) }[frequency] || [];
  }
  if (/^\d{4}Q[1-4]$/.test(period)) {
    const q = Number(period[5]);
    return { annual: [], quarterly: [period], monthly: months(year, q * 3 - 2, q * 3) }[frequency] || [];
  }
  return frequency === "monthly" ? [period] : [];
}

/** The period and the longer ones it belongs to (202503 → 202503, 2025Q1, 2025): a lock of any closes it. */
export function containing(period) {
  const year = period.slice(0, 4);
  if (/^\d{6}$/.test(period)) return [period, `${year}Q${Math.ceil(Number(period.slice(4)) / 3)}`, year];
  if (/^\d{4}Q[1-4]$/.test(period)) return [period, year];
  return [period];
}
