// Strings of the staff page and the login lockout (zh-Hans, zh-Hant, en), merged into
// api/i18n/i18n.ts like dash-strings.ts.
export const ACCESS_STRINGS: Record<string, [string, string, string]> = {
  staff_page: ["工作人员", "工作人員", "Staff"],
  staff_intro: ["登录失败过多时，该用户名从该地址的登录会暂停一段时间（越来越长）；已登录的会话不受影响。管理员可在此解除。", "登入失敗過多時，該用戶名從該地址的登入會暫停一段時間（越來越長）；已登入的會話不受影響。管理員可在此解除。", "After too many failed logins, that username is paused from that address for a while (longer each time); open sessions are not affected. An admin can lift it here."],
  staff_username: ["用户名", "用戶名", "Username"],
  staff_role: ["角色", "角色", "Role"],
  staff_last_login: ["上次登录", "上次登入", "Last login"],
  staff_lock: ["登录暂停", "登入暫停", "Login paused"],
  staff_lock_none: ["无", "無", "none"],
  staff_lock_until: ["{address} 暂停至 {until}（失败 {failures} 次）", "{address} 暫停至 {until}（失敗 {failures} 次）", "{address} until {until} ({failures} failures)"],
  staff_unlock: ["解除暂停", "解除暫停", "Lift"],
  staff_unlocked: ["已解除 {username} 的登录暂停。", "已解除 {username} 的登入暫停。", "Lifted the login pause of {username}."],
  login_paused: ["登录失败次数过多，请 {minutes} 分钟后再试，或请管理员解除。", "登入失敗次數過多，請 {minutes} 分鐘後再試，或請管理員解除。", "Too many failed logins. Try again in {minutes} minute(s), or ask an admin to lift the pause."],
  lock_banner: ["您的账号曾因登录失败过多被暂停登录：{when}，来自 {address}（失败 {failures} 次）。如果不是您本人，请告知管理员。", "您的帳號曾因登入失敗過多被暫停登入：{when}，來自 {address}（失敗 {failures} 次）。如果不是您本人，請告知管理員。", "Your account's login was paused after too many failed attempts: {when}, from {address} ({failures} failures). If that was not you, tell an admin."],
  lock_banner_ok: ["知道了", "知道了", "Got it"],
};
