// The office-editable campaign settings (rules/campaigns.json): problem categories with their names in
// the three languages, the default rectification time, when the 回头看 re-check falls after 销号 and
// how long an overdue problem stays with the street before the district hears of it.
import { z } from "zod";
import type { Locale } from "../cases/categories.ts";
import { loadRuleFile } from "../rule-file.ts";

const Names = z.object({ "zh-Hans": z.string().min(1), "zh-Hant": z.string().min(1), en: z.string().min(1) });

export const CampaignSettingsSchema = z.object({
  categories: z.array(z.object({ code: z.string().regex(/^[a-z][a-z0-9_]*$/, "lower-case letters, digits, _"), names: Names })).min(1),
  /** Rectification time when nobody names one, in working days. */
  defaultDeadlineWorkdays: z.number().int().min(1).max(250).default(10),
  /** 回头看: working days after 销号. */
  recheckAfterWorkdays: z.number().int().min(1).max(250).default(30),
  escalation: z.object({ districtAfterWorkdays: z.number().int().min(1).max(60).default(1) }).default({ districtAfterWorkdays: 1 }),
});

export type CampaignSettings = z.infer<typeof CampaignSettingsSchema>;

export function loadCampaignSettings(rulesDir: string): CampaignSettings {
  const { data } = loadRuleFile(rulesDir, "campaigns.json", CampaignSettingsSchema);
  const seen = new Set<string>();
  for (const c of data.categories) {
    if (seen.has(c.code)) throw new Error(`campaigns.json: category "${c.code}" is listed twice`);
    seen.add(c.code);
  }
  return data;
}

export function categoryName(s: CampaignSettings, code: string, locale: Locale): string {
  return s.categories.find((c) => c.code === code)?.names[locale] ?? code;
}
