// Chat wording a clerk or liaison reads: an escalation seconds after the deadline says «不到 1 分钟»
// (not «已超时 0 分钟»), Chinese Telegram names are family name first («王丽», not «丽 王»), English
// counts are plural words ("1 estate found", "3 photos"), not "estate(s)".
import { describe, expect, it } from "vitest";
import { createI18n, type Translate } from "../../bot/i18n.ts";
import { formatDuration } from "../../bot/render/clock-renderer.ts";
import { displayName } from "../../bot/features/common.ts";

const i18n = createI18n("zh-Hans");
const tr = (locale: string): Translate => (key, vars) => i18n.t(locale, key, vars);

describe("chat wording", () => {
  it("overdue by seconds is under a minute; longer spans keep days, hours, minutes", () => {
    expect(formatDuration(tr("zh-Hans"), 0)).toBe("不到 1 分钟");
    expect(formatDuration(tr("en"), 0.2)).toBe("under a minute");
    expect(formatDuration(tr("zh-Hans"), 61)).toBe("1 小时 1 分钟");
  });

  it("a Chinese name from Telegram reads family name first; a Latin one First Last", () => {
    expect(displayName({ first_name: "丽", last_name: "王" })).toBe("王丽");
    expect(displayName({ first_name: "Li", last_name: "Wang" })).toBe("Li Wang");
    expect(displayName({ first_name: "王丽" })).toBe("王丽");
  });

  it("English counts are words, not (s)", () => {
    expect(i18n.t("en", "reg-estate-found", { n: 1 })).toBe("1 estate found, choose it:");
    expect(i18n.t("en", "reg-estate-found", { n: 3 })).toBe("3 estates found, choose one:");
    expect(i18n.t("en", "card-photos", { n: 1 })).toBe("1 photo attached (below)");
    expect(i18n.t("zh-Hans", "card-title-reopened", { number: "2026-000001" })).toBe("🔁 重新打开的工单 2026-000001");
  });
});
