// The renderer benches use: the bot's own, so building the messages is part of what is measured.
import type { ClockRenderer } from "../../core/clocks/clock-notices.ts";
import { loadCategories } from "../../core/cases/categories.ts";
import { createI18n } from "../../bot/i18n.ts";
import { createClockRenderer } from "../../bot/render/clock-renderer.ts";

export function clockRendererForBench(): ClockRenderer {
  return createClockRenderer({ i18n: createI18n("zh-Hans"), categories: loadCategories("rules"), defaultLocale: "zh-Hans", timezone: "Asia/Shanghai", dashboardUrl: "http://localhost:3000/dashboard" });
}
