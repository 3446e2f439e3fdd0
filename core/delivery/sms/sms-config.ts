// Picks the SMS provider SMS_PROVIDER names (core/config.ts checked that tencent has its settings).
import type { Config } from "../../config.ts";
import type { Logger } from "../../logger.ts";
import { logSmsProvider, type SmsProvider } from "./sms-provider.ts";
import { tencentSms } from "./tencent-sms.ts";

export function smsProviderFromConfig(c: Config, log: Logger): SmsProvider {
  if (c.SMS_PROVIDER !== "tencent") return logSmsProvider(log, { showCodes: c.SMS_LOG_CODES === "1" });
  const base = c.TENCENT_SMS_TEMPLATE_ID!;
  return tencentSms({
    secretId: c.TENCENT_SMS_SECRET_ID!,
    secretKey: c.TENCENT_SMS_SECRET_KEY!,
    sdkAppId: c.TENCENT_SMS_SDK_APP_ID!,
    signName: c.TENCENT_SMS_SIGN_NAME!,
    templates: { "zh-Hans": base, "zh-Hant": c.TENCENT_SMS_TEMPLATE_ID_ZH_HANT ?? base, en: c.TENCENT_SMS_TEMPLATE_ID_EN ?? base },
    region: c.TENCENT_SMS_REGION,
    endpoint: c.TENCENT_SMS_ENDPOINT,
  });
}
