// Small formatting helpers shared by resident and liaison texts.

/** "2026-11-24 18:00" in the given zone (Asia/Shanghai for this district). */
export function formatTime(d: Date | null | undefined, timeZone: string): string | null {
  if (!d) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function formatAddress(estate: { name: string } | null | undefined, building?: { name: string } | null, unit?: { name: string } | null): string {
  return [estate?.name, building?.name, unit?.name].filter(Boolean).join(" ");
}

/** Trims long user text for list buttons and summaries. */
export function ellipsis(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join("") + "…";
}
