// Which webhook URLs an office may give for its group robots: https and the provider's own host and
// path, with the key in the query. Anything else is refused with a message in the reader's language.
export type RobotProvider = "wecom" | "dingtalk";

const RULES: Record<RobotProvider, { host: string; path: string; param: string; example: string }> = {
  wecom: { host: "qyapi.weixin.qq.com", path: "/cgi-bin/webhook/send", param: "key", example: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" },
  dingtalk: { host: "oapi.dingtalk.com", path: "/robot/send", param: "access_token", example: "https://oapi.dingtalk.com/robot/send?access_token=…" },
};

const NAMES: Record<RobotProvider, Record<string, string>> = {
  wecom: { "zh-Hans": "企业微信群机器人", "zh-Hant": "企業微信群機器人", en: "WeCom group robot" },
  dingtalk: { "zh-Hans": "钉钉自定义机器人", "zh-Hant": "釘釘自訂機器人", en: "DingTalk custom robot" },
};

export const robotName = (p: RobotProvider, locale = "zh-Hans") => NAMES[p][locale] ?? NAMES[p]["zh-Hans"]!;

/** The URL as stored (trimmed), or a message saying what a valid one looks like. */
export function checkRobotUrl(provider: RobotProvider, raw: string, locale = "zh-Hans"): { url: string } | { error: string } {
  const r = RULES[provider];
  const name = robotName(provider, locale);
  const msg = {
    "zh-Hans": `${name}的地址须为 https 且是 ${r.host} 的地址,例如 ${r.example}`,
    "zh-Hant": `${name}的地址須為 https 且是 ${r.host} 的地址,例如 ${r.example}`,
    en: `The ${name} URL must be https on ${r.host}, like ${r.example}`,
  } as Record<string, string>;
  const error = msg[locale] ?? msg["zh-Hans"]!;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { error };
  }
  if (u.protocol !== "https:" || u.hostname !== r.host || u.port !== "" || u.pathname !== r.path || u.username || u.password) return { error };
  if (!u.searchParams.get(r.param)) return { error };
  return { url: u.toString() };
}

/** A DingTalk signing secret: "SEC" and letters/digits, as the robot's settings show it. */
export function checkDingtalkSecret(raw: string, locale = "zh-Hans"): { secret: string } | { error: string } {
  const s = raw.trim();
  if (/^SEC[0-9a-zA-Z]{16,128}$/.test(s)) return { secret: s };
  const msg: Record<string, string> = {
    "zh-Hans": "钉钉加签密钥以 SEC 开头,后跟字母和数字(在机器人安全设置里复制)",
    "zh-Hant": "釘釘加簽密鑰以 SEC 開頭,後跟字母和數字(在機器人安全設定裡複製)",
    en: "A DingTalk signing secret starts with SEC followed by letters and digits (copy it from the robot's security settings)",
  };
  return { error: msg[locale] ?? msg["zh-Hans"]! };
}
