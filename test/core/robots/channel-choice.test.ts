// Item 5 of issue 26: one place picks the channel for every recipient. The table: recipient kinds ×
// what the directory knows → the channels used (and the outbox method each one's rows carry).
import { describe, expect, it } from "vitest";
import { CHANNELS, chooseChannels, type Channel, type Recipient } from "../../../core/delivery/channels/choose.ts";
import { checkDingtalkSecret, checkRobotUrl } from "../../../core/delivery/robots/robot-url.ts";

const TG = { telegramChatId: 123n };
const PHONE = { phone: "13912345678" };
const MAIL = { email: "a@b.cn" };
const WECOM = { wecomWebhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" };
const DING = { dingtalkWebhook: "https://oapi.dingtalk.com/robot/send?access_token=t" };

const table: [string, Recipient, Channel[], Channel[]?][] = [
  // who, what the directory knows, channels for a case message, [channels for the digest]
  ["resident on Telegram", { kind: "resident", ...TG, ...PHONE }, ["telegram"]],
  ["resident who blocked the bot, phone known", { kind: "resident", ...TG, telegramGone: true, ...PHONE }, ["sms"]],
  ["resident on the web with a phone", { kind: "resident", ...PHONE }, ["sms"]],
  ["resident with nothing", { kind: "resident", ...MAIL }, []],
  ["liaison on Telegram", { kind: "liaison", ...TG, ...PHONE, ...MAIL }, ["telegram"]],
  ["liaison without Telegram, phone known (web /w/ + SMS)", { kind: "liaison", ...PHONE, ...MAIL }, ["sms"]],
  ["liaison with e-mail only", { kind: "liaison", ...MAIL }, ["email"]],
  ["liaison with nothing", { kind: "liaison" }, []],
  ["office with a Telegram group", { kind: "office", ...TG }, ["telegram"], ["telegram"]],
  ["office with WeCom only", { kind: "office", ...WECOM }, ["wecom"], ["wecom"]],
  ["office with DingTalk only", { kind: "office", ...DING }, ["dingtalk"], ["dingtalk"]],
  ["office with every channel", { kind: "office", ...TG, ...WECOM, ...DING, ...MAIL }, ["telegram", "wecom", "dingtalk"], ["telegram", "wecom", "dingtalk", "email"]],
  ["office whose group removed the bot, e-mail kept", { kind: "office", ...TG, telegramGone: true, ...MAIL }, [], ["email"]],
];

describe("one place decides the channel", () => {
  it.each(table)("%s", (_who, r, forCase, forDigest) => {
    expect(chooseChannels(r, "escalation")).toEqual(forCase);
    if (forDigest) expect(chooseChannels(r, "digest")).toEqual(forDigest);
  });

  it("each channel has its own outbox method and sender", () => {
    expect(Object.fromEntries(Object.entries(CHANNELS).map(([c, i]) => [c, i.method]))).toEqual({ telegram: "sendMessage", sms: "sendSms", wecom: "sendWecom", dingtalk: "sendDingtalk", email: "sendEmail" });
    expect(CHANNELS.wecom.perMinute).toBe(20);
    expect(CHANNELS.dingtalk.maxBytes).toBe(4096);
  });
});

describe("robot URLs", () => {
  it("takes the providers' https webhooks", () => {
    expect(checkRobotUrl("wecom", " https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx ")).toEqual({ url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx" });
    expect(checkRobotUrl("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc")).toEqual({ url: "https://oapi.dingtalk.com/robot/send?access_token=abc" });
  });
  it.each([
    ["wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"],
    ["wecom", "https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=k"],
    ["wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"],
    ["wecom", "https://oapi.dingtalk.com/robot/send?access_token=abc"],
    ["dingtalk", "https://oapi.dingtalk.com:8443/robot/send?access_token=abc"],
    ["dingtalk", "https://127.0.0.1/robot/send?access_token=abc"],
    ["dingtalk", "not a url"],
  ] as const)("refuses %s %s with a message naming the right form", (p, url) => {
    const r = checkRobotUrl(p, url);
    expect(r).toHaveProperty("error");
    expect((r as { error: string }).error).toContain(p === "wecom" ? "qyapi.weixin.qq.com" : "oapi.dingtalk.com");
    expect((checkRobotUrl(p, url, "en") as { error: string }).error).toMatch(/must be https on/);
  });
  it("checks the DingTalk signing secret's form", () => {
    expect(checkDingtalkSecret("SEC0123456789abcdef0123")).toEqual({ secret: "SEC0123456789abcdef0123" });
    expect(checkDingtalkSecret("hunter2")).toHaveProperty("error");
  });
});
