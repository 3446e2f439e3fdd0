// What the shipped rules/understanding.json makes of residents' messages: every emergency category
// in three languages, negation, unclear messages left unclassified, kinds, normalising (full-width,
// traditional, typos) and the explanation a clerk reads. No database.
import { beforeAll, describe, expect, it } from "vitest";
import { loadUnderstanding } from "../../rules/understanding/load.ts";
import type { RuleUnderstander } from "../../rules/understanding/understander.ts";
import { RULES_DIR } from "./helpers.ts";

let u: RuleUnderstander;
let proposeAbove: number;
beforeAll(() => {
  const loaded = loadUnderstanding(RULES_DIR);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  u = loaded.understander;
  proposeAbove = u.rules.settings.proposeAbove;
});

describe("every emergency category is caught in zh-Hans, zh-Hant and English", () => {
  const cases: [string, string, "zh-Hans" | "zh-Hant" | "en"][] = [
    ["lift_entrapment", "5号楼电梯卡在两层中间，我妈被困在里面", "zh-Hans"],
    ["lift_entrapment", "升降機困人，入面有兩個小朋友", "zh-Hant"],
    ["lift_entrapment", "my neighbour is stuck in the lift on block 4", "en"],
    ["gas_smell", "单元门口有很重的燃气味", "zh-Hans"],
    ["gas_smell", "廚房好大陣煤氣味", "zh-Hant"],
    ["gas_smell", "I can smell gas on the landing", "en"],
    ["burst_pipe", "地下室水管爆了，水漫到车库", "zh-Hans"],
    ["burst_pipe", "樓上爆水管，成間屋水浸", "zh-Hant"],
    ["burst_pipe", "a pipe burst under the sink and the flat is flooding", "en"],
    ["fire_safety", "垃圾房着火了，冒烟很大", "zh-Hans"],
    ["fire_safety", "走火通道被雜物堵死", "zh-Hant"],
    ["fire_safety", "smoke coming from the meter cupboard on floor 2", "en"],
  ];
  it.each(cases)("%s: %s", (category, text, locale) => {
    const r = u.understand(text, locale);
    expect(r.emergency).toBe(true);
    expect(r.category).toBe(category);
    expect(r.confidence).toBeGreaterThanOrEqual(0.9);
    expect(r.why.some((w) => w.startsWith(`EMERGENCY (${category})`))).toBe(true);
  });

  it("an emergency wins over a louder ordinary complaint in the same message", () => {
    const r = u.understand("物业态度差，保安骂人，前台不耐烦，还有电梯困人半小时了");
    expect(r.emergency).toBe(true);
    expect(r.category).toBe("lift_entrapment");
    expect(r.alternatives.map((a) => a.category)).toContain("service");
  });

  it("a doubtful emergency is still an emergency (是不是 is not a negation)", () => {
    expect(u.understand("不知道是不是燃气味，有点刺鼻").emergency).toBe(true);
    expect(u.understand("not sure but I think I smell gas").emergency).toBe(true);
  });
});

describe("negation", () => {
  it("不是/没有/not take the phrase out, and the message is no emergency", () => {
    for (const [negated, plain] of [
      ["不是燃气味，是垃圾房的臭味", "燃气味，还有垃圾房的臭味"],
      ["电梯没有困人，就是门关不上", "电梯困人，门关不上"],
      ["it's not a gas smell, it's the drains", "it's a gas smell, and the drains"],
      ["nobody is stuck in the lift but the doors jam", "somebody is stuck in the lift and the doors jam"],
    ]) {
      expect(u.understand(plain!).emergency, plain).toBe(true);
      const r = u.understand(negated!);
      expect(r.emergency, negated).toBe(false);
      expect(r.why.some((w) => /negated by/.test(w)), negated).toBe(true);
    }
  });

  it("没有漏水 does not count for water; the rest of the message decides", () => {
    const r = u.understand("没有漏水了，就是小区路灯不亮");
    expect(r.category).toBe("electricity");
    expect(r.why).toContain('"漏水" not counted for water: negated by "没有"');
  });

  it("a one-character 不 only negates what it touches", () => {
    expect(u.understand("遛狗不牵绳还不清理狗屎").category).toBe("sanitation");
  });
});

describe("unclear messages are left for a question back", () => {
  it.each(["你好", "我要投诉", "hello?", "唔該", "[图片]"])("%s → no category, low confidence", (text) => {
    const r = u.understand(text);
    expect(r.category).toBeNull();
    expect(r.emergency).toBe(false);
    expect(r.confidence).toBeLessThan(proposeAbove);
  });

  it("a clear message is proposed with confidence above the threshold", () => {
    const r = u.understand("楼道的声控灯坏了半个月了");
    expect(r.category).toBe("electricity");
    expect(r.confidence).toBeGreaterThanOrEqual(proposeAbove);
  });

  it("two problems: the stronger is proposed, the other offered as an alternative; 主要是 moves the weight", () => {
    const a = u.understand("楼道灯坏了，垃圾也没人收");
    expect(a.category).toBe("electricity");
    expect(a.alternatives[0]?.category).toBe("sanitation");
    const b = u.understand("楼道灯坏了，垃圾也没人收，主要是垃圾");
    expect(b.category).toBe("sanitation");
    expect(b.alternatives[0]?.category).toBe("electricity");
  });
});

describe("kind, normalising and typos", () => {
  it("kind: suggestion from 建议/suggest, repair for broken things, complaint for conduct", () => {
    expect(u.understand("建议小区多种点树").kind).toBe("suggestion");
    expect(u.understand("suggest more recycling bins near block 3").kind).toBe("suggestion");
    expect(u.understand("楼道灯坏了").kind).toBe("repair");
    expect(u.understand("物业前台态度太差了").kind).toBe("complaint");
  });

  it("a kind the category does not take falls back to the category's own", () => {
    // noise is complaint-only in categories.json
    expect(u.understand("建议楼上装修不要太吵").kind).toBe("complaint");
  });

  it("full-width letters, upper case and traditional characters match the same phrases", () => {
    expect(u.understand("ＬＩＦＴ ＢＲＯＫＥＮ").category).toBe("lift");
    expect(u.understand("樓道燈壞了").category).toBe("electricity");
  });

  it("one typo in a longer English word, and the office's spellings for Chinese", () => {
    expect(u.understand("the elevater is brokn").category).toBe("lift");
    const r = u.understand("电悌困人");
    expect(r.emergency).toBe(true);
    // but short words are not stretched: "floor" is not "flood"
    expect(u.understand("the lift on the ground floor is out of order").emergency).toBe(false);
  });
});
