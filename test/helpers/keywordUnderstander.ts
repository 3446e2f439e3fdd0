// A stand-in for the understanding engine (branch `understand`, rules/understanding.json) so the bot's
// free-text path can be tested now: a handful of phrases per category in zh-Hans, zh-Hant and en.
// One phrase that fits two categories ("门坏") → unsure (confidence 0.3, both as alternatives).
import type { Understander, Understanding } from "../../core/cases/understanding-types.ts";
import type { CaseKind } from "../../core/db/generated/prisma/enums.ts";

const PHRASES: [category: string, kind: CaseKind, emergency: boolean, phrases: string[]][] = [
  ["lift_entrapment", "repair", true, ["电梯困人", "電梯困人", "困在电梯", "困在電梯", "trapped in the lift", "stuck in the lift"]],
  ["gas_smell", "repair", true, ["燃气", "煤气", "燃氣", "煤氣", "gas smell", "smell of gas"]],
  ["burst_pipe", "repair", true, ["爆管", "水管爆", "水管爆裂", "burst pipe", "pipe burst"]],
  ["fire_safety", "complaint", true, ["消防通道", "消防栓", "着火", "著火", "fire exit", "fire door"]],
  ["lift", "repair", false, ["电梯坏", "電梯壞", "电梯按钮", "lift is broken", "lift broken"]],
  ["water", "repair", false, ["漏水", "滴水", "leak"]],
  ["electricity", "repair", false, ["路灯", "楼道灯", "路燈", "樓道燈", "light is out", "lights are out"]],
  ["noise", "complaint", false, ["噪音", "吵", "noise", "noisy"]],
  ["sanitation", "complaint", false, ["垃圾", "rubbish", "garbage"]],
  ["parking", "complaint", false, ["停车", "停車", "parking"]],
  ["security", "complaint", false, ["门禁", "門禁", "gate", "门坏", "門壞"]],
  ["facilities", "repair", false, ["健身器材", "座椅", "门坏", "門壞", "bench"]],
  ["fees", "complaint", false, ["物业费", "物業費", "fee"]],
];

export const keywordUnderstander: Understander = {
  understand(text: string): Understanding {
    const lower = text.toLowerCase();
    const hits = PHRASES.filter(([, , , phrases]) => phrases.some((p) => lower.includes(p.toLowerCase())));
    const emergency = hits.some((h) => h[2]);
    // Emergencies first (they must never lose to an ordinary match), then in list order.
    const ranked = [...hits.filter((h) => h[2]), ...hits.filter((h) => !h[2])];
    const top = ranked[0];
    if (!top) return { kind: "complaint", category: null, emergency: false, confidence: 0, alternatives: [], why: ["nothing matched"] };
    const matched = (h: (typeof PHRASES)[number]) => h[3].filter((p) => lower.includes(p.toLowerCase()));
    const unsure = !emergency && ranked.length > 1 && matched(ranked[1]!).some((p) => matched(top).includes(p));
    return {
      kind: top[1],
      category: unsure ? null : top[0],
      emergency,
      confidence: unsure ? 0.3 : 0.9,
      alternatives: (unsure ? ranked : ranked.slice(1)).map((h, i) => ({ category: h[0], score: 0.5 - i * 0.1 })),
      why: ranked.map((h) => `matched ${h[0]}`),
    };
  },
};
