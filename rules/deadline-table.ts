// deadlines.json in force: picks the entry and level for a case; core/clocks/deadlines.ts computes the times.
import type { Categories } from "../core/cases/categories.ts";
import type { DeadlineEntry, DeadlineLevel, UrgencyLevel } from "./schemas.ts";

export const URGENCY_RANK: Record<UrgencyLevel, number> = { normal: 0, urgent: 1, emergency: 2 };

export interface DeadlinePick {
  entry: DeadlineEntry;
  level: DeadlineLevel;
  /** Entries that matched but did not set this urgency level (skipped). */
  skipped: string[];
}

export class DeadlineTable {
  constructor(
    readonly entries: DeadlineEntry[],
    readonly residentHintRaisesTo: "urgent" | "emergency" | null,
    private readonly categories: Categories,
  ) {}

  matches(e: DeadlineEntry, kind: string, category: string): boolean {
    const w = e.when;
    if (w.categories && !w.categories.includes(category)) return false;
    if (w.kinds && !w.kinds.includes(kind as never)) return false;
    if (w.emergency !== undefined && w.emergency !== (this.categories.get(category)?.emergency ?? false)) return false;
    return true;
  }

  /** The loader guarantees the last entry matches everything and sets every level. */
  pick(kind: string, category: string, urgency: UrgencyLevel): DeadlinePick {
    const skipped: string[] = [];
    for (const entry of this.entries) {
      if (!this.matches(entry, kind, category)) continue;
      const level = entry.levels[urgency];
      if (level) return { entry, level, skipped };
      skipped.push(entry.id);
    }
    throw new Error(`deadlines: no entry for ${kind}/${category}/${urgency} (the catch-all entry is missing)`);
  }
}
