// A plain ClockRenderer for core tests: one line per notice, easy to assert on.
import type { ClockRenderer } from "../../core/clocks/clock-notices.ts";

export const textRenderer: ClockRenderer = {
  reminder: (to, c) => ({ chatId: to, payload: { text: `remind ${c.which} ${c.number} in ${c.minutes}m` } }),
  escalationToOffice: (o, level, cases, key) => [{ chatId: o.chatId!, payload: { text: `L${level} ${o.name}: ${cases.map((c) => `${c.number}/${c.which}+${c.minutes}m`).join(",")}` }, dedupeKey: key }],
  escalationToLiaison: (to, level, cases, key) => [{ chatId: to, payload: { text: `L${level} yours: ${cases.map((c) => c.number).join(",")}` }, dedupeKey: key }],
  revisitQuestion: (to, _l, c, reminder) => ({ chatId: to, payload: { text: `${reminder ? "again: " : ""}fixed? ${c.number}` } }),
  digest: (d) => [{ chatId: d.office.chatId!, payload: { text: `digest ${d.office.name}: new ${d.newEscalationCount}, overdue ${d.stillOverdue}` } }],
};
