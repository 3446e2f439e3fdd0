// Case categories from rules/categories.json (office-editable), validated at load.
import { z } from "zod";
import { loadRuleFile } from "../rule-file.ts";

export const LOCALES = ["zh-Hans", "zh-Hant", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const KINDS = ["complaint", "repair", "suggestion"] as const;
export type Kind = (typeof KINDS)[number];

const categorySchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/),
  kinds: z.array(z.enum(KINDS)).min(1),
  emergency: z.boolean().default(false),
  /** In the estate's shared space (not at the registered address): guided filing asks where. */
  publicArea: z.boolean().default(false),
  label: z.object({ "zh-Hans": z.string().min(1), "zh-Hant": z.string().min(1), en: z.string().min(1) }),
});
const fileSchema = z.object({ categories: z.array(categorySchema).min(1) });

export type Category = z.infer<typeof categorySchema>;

export class Categories {
  private readonly byCode: Map<string, Category>;
  constructor(readonly list: Category[]) {
    this.byCode = new Map(list.map((c) => [c.code, c]));
    if (this.byCode.size !== list.length) throw new Error("categories.json: duplicate category code");
  }
  get(code: string): Category | undefined {
    return this.byCode.get(code);
  }
  forKind(kind: Kind): Category[] {
    return this.list.filter((c) => c.kinds.includes(kind));
  }
  label(code: string, locale: Locale): string {
    return this.byCode.get(code)?.label[locale] ?? code;
  }
}

export function loadCategories(rulesDir: string): Categories {
  return new Categories(loadRuleFile(rulesDir, "categories.json", fileSchema).data.categories);
}
