lang-choose = 请选择语言 / 請選擇語言 / Choose a language:
lang-set = 語言已設定為繁體中文。

reg-welcome = 歡迎使用小區物業投訴與報修服務。先登記您的住址，驗證後即可提交投訴、報修或建議。發送 /language 可切換語言。
reg-estate = 請選擇您所在的小區（第 { $page }/{ $pages } 頁）：
reg-estate-type = 也可以直接輸入小區名稱或拼音首字母查找（如「和平」或「hpxq」）。
reg-estate-found = 找到 { $n } 個小區，請選擇：
reg-estate-none = 沒有找到「{ $text }」，請換個寫法，或在列表中選擇。
reg-building-type = 樓棟較多，也可以直接輸入樓號查找（如「3」）。
reg-building-found = 找到 { $n } 棟樓，請選擇：
reg-building-none = 沒有找到「{ $text }」，請在列表中選擇。
btn-all-estates = 📋 全部小區
reg-building = { $estate }：請選擇樓棟：
reg-unit = { $estate } { $building }：請選擇單元：
reg-verify = 您的住址：{ $address }
    請發送小區邀請碼（可向物業服務中心或居委會索取），或點擊「申請審核」。
reg-code-wrong = 邀請碼不正確，請核對後重新發送，或點擊「申請審核」。（還可嘗試 { $left } 次）
reg-code-locked = 邀請碼錯誤次數過多。請點擊「申請審核」，由工作人員核實。
reg-verified = 驗證成功！您已登記為 { $address } 的住戶。
reg-pending = 已提交審核申請（{ $address }）。審核通過後即可提交投訴或報修，屆時會通知您。
reg-phone = 可選：分享您的手機號碼，便於街道或物業在必要時聯繫您。點擊下方按鈕分享，或點擊「跳過」。
reg-phone-saved = 手機號碼已保存。
reg-phone-not-own = 只能分享您本人的手機號碼。請點擊下方「分享手機號碼」按鈕，或點擊「跳過」。
reg-phone-skipped = 好的，不保存手機號碼。
reg-restart = 重新登記住址：
btn-request-approval = 申請審核
btn-share-phone = 📱 分享手機號碼
btn-skip = 跳過
btn-prev = ⬅️ 上一頁
btn-next = 下一頁 ➡️

menu = 請選擇要辦理的事項：
btn-new = 📝 投訴 / 報修 / 建議
btn-mycases = 📋 我的工單
btn-language = 🌐 語言
btn-help = ❓ 幫助
status-pending = 您的住戶身份還在審核中，審核通過後即可提交投訴或報修。
status-rejected = 您的住戶登記未通過審核。如有疑問請聯繫居委會，或發送 /start 重新登記。
res-approved = ✅ 您的住戶身份已審核通過（{ $address }）。現在可以提交投訴或報修了。
res-rejected = 您的住戶登記（{ $address }）未通過審核。原因：{ $reason }
    如有疑問請聯繫居委會，或發送 /start 重新登記。
not-registered = 請先發送 /start 登記您的住址。

draft-resume = 繼續填寫您未完成的草稿（發送 /cancel 可放棄）。
file-kind = 請選擇類型：
kind-complaint = 投訴
kind-repair = 報修
kind-suggestion = 建議
kind-lc-complaint = 投訴
kind-lc-repair = 報修
kind-lc-suggestion = 建議
file-category = { $kind }：請選擇類別：
file-description = 請用文字描述問題（最多 { $max } 字）。
file-too-long = 內容太長了（{ $len }/{ $max } 字），請精簡後重新發送。草稿已保留。
file-empty = 描述不能為空，請用文字描述問題。
file-photo-added = 已收到照片 { $n }/{ $max }。
file-photo-limit = 最多只能添加 { $max } 張照片，這張沒有保存。
file-photo-early = 照片已保存（{ $n }/{ $max }）。請再用文字描述問題。
file-location = 這個問題在小區公共區域：請點擊下方「📍 發送位置」告訴我們具體位置，或點擊「跳過」。
file-urgency = 情況是否緊急（如危及安全、嚴重影響生活）？
btn-send-location = 📍 發送位置
btn-change-category = 🔁 更改類別
btn-all-categories = 📋 全部類別
file-category-any = 請選擇類別：
ft-ask-category = 我不太確定這是哪一類問題，請選擇最接近的類別：
ft-proposal = 我理解如下，確認無誤請點擊「確認提交」：
ft-emergency-filed = 🚨 這是緊急情況，已立即提交（工單 { $number }）並通知街道辦，無需再確認。可繼續發送照片或說明。
draft-updated = 已更新草稿。
file-photo-group = 已收到這組照片，提交時一併附上。
file-location-saved = 📍 位置已收到。
file-location-skipped = 好的，不提供位置。
file-summary = 請確認以下內容：
    類型：{ $kind }
    類別：{ $category }
    地址：{ $address }
    描述：{ $description }
    照片：{ $photos } 張
    位置：{ $location }
    緊急：{ $urgent }
file-cancelled = 已取消，草稿已刪除。
file-already = 此工單已提交，編號 { $number }。發送 /mycases 查看進度。
file-submitting = 正在提交……
nothing-to-cancel = 當前沒有進行中的操作。
cancelled = 已取消。
btn-done = 完成
btn-yes-urgent = 是，緊急
btn-not-urgent = 不緊急
btn-confirm = ✅ 確認提交
btn-edit = ✏️ 修改描述
btn-cancel = ✖️ 取消
yes = 是
no = 否
location-given = 已提供
location-none = 未提供

filed-resident = 已收到您的{ $kind }，工單編號：{ $number }
    類別：{ $category }
    { $routing }
    發送 /mycases 可隨時查看進度。
filed-routed = 已轉交{ $company }處理，受理時限：{ $due }。
filed-routed-nodue = 已轉交{ $company }處理。
filed-unroutable = 已轉交街道辦分派處理。
tr-accepted = 您的工單 { $number } 已被受理，正在處理。
tr-resolved = 您的工單 { $number } 已處理完成。
    處理說明：{ $note }
tr-reopened = 您的工單 { $number } 已重新打開，我們會繼續跟進。
tr-closed = 您的工單 { $number } 已結案。感謝您的反饋！

mycases-empty = 您還沒有提交過工單。發送 /new 提交。
mycases-title = 您的工單（第 { $page }/{ $pages } 頁），點擊查看詳情：
case-detail = 工單 { $number }
    類型：{ $kind } · { $category }
    狀態：{ $state }
    地址：{ $address }
    提交時間：{ $created }
    受理時限：{ $response }
    辦結時限：{ $resolution }
    描述：{ $description }
case-events = 最近進展：
case-no-due = —
btn-add-message = 💬 補充說明
btn-add-photo = 📷 補充照片
btn-back = ⬅️ 返回列表
add-message-prompt = 請發送要補充給工單 { $number } 的文字（最多 { $max } 字）。發送 /cancel 取消。
add-photo-prompt = 請為工單 { $number } 發送一張照片。發送 /cancel 取消。
add-sent = 已補充到工單 { $number }，並已轉告處理人員。
add-closed = 工單 { $number } 已結案，無法補充。如問題仍存在，請提交新工單。
add-want-text = 請發送文字。
add-want-photo = 請以「照片」形式發送一張圖片。
case-not-found = 未找到該工單。

state-received = 已接收
state-routed = 已派單
state-unroutable = 待街道分派
state-accepted = 處理中
state-resolved = 已處理
state-revisit = 回訪中
state-reopened = 已重新打開
state-closed = 已結案
state-awaiting_approval = 等待審核

ev-filed = 提交
ev-hold = 待審核
ev-release = 審核通過
ev-reject = 未通過審核
ev-route = 派單
ev-unroutable = 待分派
ev-assign = 分派
ev-accept = 受理
ev-resolve = 處理完成
ev-transfer = 退回街道
ev-startRevisit = 回訪
ev-confirmFixed = 確認解決
ev-reopen = 重新打開
ev-closeNoAnswer = 結案
ev-officeClose = 結案
ev-message = 留言
ev-photo = 照片
ev-other = 更新

card-new = 🆕 新工單 { $number }
card-title-reopened = 🔁 重新打開的工單 { $number }
card-emergency = 🚨 緊急
card-office-emergency = 🚨 緊急工單，請街道辦關注：
card-office-unroutable = ⚠️ 未能自動派單，請街道辦分派：
card-body = 類型：{ $kind } · { $category }
    地址：{ $address }
    描述：{ $description }
    受理時限：{ $response }
    辦結時限：{ $resolution }
card-urgent-hint = 住戶標記為緊急
card-photos = 附照片 { $n } 張（見下方）
card-location = 位置：{ $lat }, { $lon }
card-company = 處理單位：{ $company }
liaison-message = 工單 { $number } 住戶補充說明：
    { $text }
liaison-photo = 工單 { $number } 住戶補充照片

help = 可用命令：
    /new 提交投訴、報修或建議
    /mycases 查看我的工單
    /survey 繼續填寫滿意度問卷
    /language 切換語言
    /cancel 放棄當前操作
    /start 登記住址 / 主菜單
    /help 幫助
    物業聯絡人：/liaison 邀請碼
err-generic = 抱歉，處理您的請求時出了點問題，請稍後再試。您已填寫的內容沒有丟失。
unknown-command = 不認識這個命令。發送 /help 查看可用命令。
unsupported-sticker = 謝謝！不過我看不懂貼紙，請用文字或按鈕操作。
unsupported-media = 暫不支持這種消息（語音、視頻、文件等）。請用文字描述，圖片請以「照片」形式發送。
use-buttons = 請點擊下方按鈕選擇。
text-too-long = 消息太長了（{ $len } 字），請分幾條發送。
text-too-long-kept = 消息太長了（{ $len } 字），請分幾條發送。前 { $max } 字已存為草稿；提交後可在「我的工單」裡補充其餘內容。
btn-outdated = 這個按鈕已過期，請使用最新的消息。
btn-invalid = 無法識別這個按鈕。
not-expected = 現在不需要這個。
edited-ignored = 修改過的消息不會被重新讀取。如需更正，請重新發送。

# ---- liaison and office (staff texts use the default locale) ----
tr-transferred = 您的工單 { $number } 已轉交街道辦重新分派，我們會繼續跟進。
tr-rejected = 您的登記未通過審核，工單 { $number } 已關閉。原因：{ $note }
card-state = 狀態：{ $state }
card-phone = 住戶電話：{ $phone }（住戶登記時提供）
card-assigned = 📌 街道辦已將此工單分派給您：
card-office-transferred = ↩️ { $company } 退回此工單，請街道辦重新分派。理由：{ $reason }
transfer-reason-estate-moved = 小區已改由{ $company }管理，尚無聯絡人
transfer-reason-liaison-off = 聯絡人{ $liaison }已停用
btn-reply = ↩️ 回覆
btn-l-accept = ✅ 受理
btn-l-message = 💬 聯繫住戶
btn-l-resolve = 🛠 辦結
btn-l-extend = ⏳ 申請延期
btn-l-transfer = ↩️ 非我單位
btn-l-reply = ↩️ 回覆住戶
btn-l-new = ➕ 我是新聯絡人
btn-l-ext-days = +{ $n } 個工作日（{ $due }）
btn-x-approve = ✅ 批准延期
btn-x-deny = ✖️ 不批准
join-ask-code = 請發送貴公司的聯絡人邀請碼（向街道辦或公司管理員索取）。發送 /cancel 取消。
join-code-wrong = 邀請碼不正確，請核對後重新發送。（還可嘗試 { $left } 次）
join-locked = 邀請碼錯誤次數過多，請聯繫街道辦。
join-pick = { $company }：請選擇您是哪位聯絡人；名單中沒有您時，點擊「我是新聯絡人」。
join-ask-name = 請發送您的稱呼（最多 { $max } 字），住戶看不到它，只有街道辦能看到。
join-done = 登記完成：您是{ $company }的聯絡人「{ $name }」。新工單會以卡片形式發到這裡。發送 /cases 查看待辦工單。
lia-phone-ask = 可選：分享您的手機號，即可在沒有 Telegram 時用手機瀏覽器登錄聯絡人工作台(/w/)，並透過短信接收新工單。
lia-phone-saved = 手機號已保存：{ $phone }。也可以用它登錄網頁工作台 /w/。
lia-phone-skipped = 好的，未保存手機號。
lia-phone-not-own = 請分享您自己的手機號(用下方按鈕)。
lia-phone-not-mainland = 這個號碼不是中國大陸手機號，未保存；可請街道辦在名錄中填寫。
join-taken = 這個聯絡人已被他人登記，請重新選擇。
join-already = 您已登記為{ $company }的聯絡人「{ $name }」。發送 /cases 查看待辦工單。
join-is-resident = 這個帳號已登記為住戶，不能同時作為物業聯絡人。請用另一個 Telegram 帳號登記聯絡人。
office-ask-code = 請在命令後附上辦公室邀請碼，例如：/office OF-DONGCHENG
office-is-liaison = 物業聯絡人不能同時作為街道辦成員。
office-joined = 您已加入「{ $office }」。在辦公室工作群裡可以審批延期申請。
office-not-member = 只有負責該街道的辦公室成員（或區物業辦成員）才能審批。請先私聊機器人發送 /office 邀請碼。
office-ext-decided = 工單 { $number } 的這項延期申請已處理過了。
office-ext-closed = 工單 { $number } 目前為「{ $state }」，無需再延期。
office-ext-request = ⏳ 延期申請 · 工單 { $number }
    單位：{ $company }（聯絡人：{ $liaison }）
    原辦結時限：{ $from }
    申請延至：{ $to }
    理由：{ $reason }
office-ext-approved = ✅ 工單 { $number } 延期已批准，新辦結時限 { $due }（{ $by }）。
office-ext-denied = ✖️ 工單 { $number } 延期申請未批准（{ $by }）。
lia-help = 您好，{ $name }（{ $company }聯絡人）。
    新工單會以卡片形式發到這裡，卡片下方的按鈕：受理 · 聯繫住戶 · 辦結 · 申請延期 · 非我單位。
    /cases 待辦工單（按時限排序）
    /cancel 放棄當前操作
    /help 幫助
lia-hint = 發送 /cases 查看待辦工單，/help 查看幫助。
lia-unknown-command = 聯絡人可用的命令：/cases、/cancel、/help。
lia-not-yours = 此工單不屬於貴公司，無法操作。
lia-stale = 工單 { $number } 目前為「{ $state }」，這個操作已不可用。
lia-status = 工單 { $number } · { $state }
lia-accepted-ack = 已受理
lia-accepted = ✅ 已受理工單 { $number }，已通知住戶。
lia-cases-empty = 目前沒有待辦工單。
lia-cases-title = 待辦工單 { $n } 件（已超時 { $overdue } 件），按最近時限排序，⏰ 為已超時。點擊查看：
lia-cases-more = 另有 { $n } 件未列出。
lia-no-resident = 此工單沒有可聯繫的住戶（非機器人提交）。
lia-message-prompt = 請發送要轉給工單 { $number } 住戶的一條文字（最多 { $max } 字）或一張照片。住戶看不到您的帳號。發送 /cancel 取消。
lia-message-sent = 已轉告工單 { $number } 的住戶。
lia-message-undelivered = 已記錄到工單 { $number }，但住戶已停用機器人，暫時無法送達。
lia-resolve-prompt = 請發送工單 { $number } 的處理說明（會轉告住戶，最多 { $max } 字）。發送 /cancel 取消。
lia-resolve-photo = 可選：發送處理後的照片（最多 { $max } 張），然後點擊「完成」；沒有照片請點擊「跳過」。
lia-resolve-photo-only = 請以「照片」形式發送，或點擊下方按鈕。
lia-resolved = 🛠 工單 { $number } 已辦結，已將說明轉告住戶。
lia-ext-reason = 請發送工單 { $number } 申請延期的理由。發送 /cancel 取消。
lia-ext-date = 目前辦結時限：{ $due }。請選擇延至何時，或按「YYYY-MM-DD HH:mm」格式發送具體時間。
lia-ext-bad-date = 時間格式不對，請按「YYYY-MM-DD HH:mm」發送，例如 2026-12-01 18:00。
lia-ext-not-later = 新時限必須晚於目前辦結時限（{ $due }）和現在。
lia-ext-no-due = 此工單沒有辦結時限，無需延期。
lia-ext-pending = 工單 { $number } 已有一項延期申請在等待審批。
lia-ext-sent = ⏳ 工單 { $number } 的延期申請（延至 { $due }）已提交街道辦審批，結果會通知您。
lia-ext-stored = ⏳ 工單 { $number } 的延期申請（延至 { $due }）已記錄，街道辦將在工作台審批。
lia-ext-approved = ✅ 工單 { $number } 延期已批准，新辦結時限：{ $due }。
lia-ext-denied = ✖️ 工單 { $number } 的延期申請未獲批准，原辦結時限不變。
lia-transfer-prompt = 請說明工單 { $number } 不屬於貴公司的理由，將轉給街道辦重新分派。發送 /cancel 取消。
lia-transferred = ↩️ 工單 { $number } 已退回街道辦，理由已轉告。
lia-flow-gone = 該工單已不在貴公司名下，操作已取消。
res-message-from-company = 工單 { $number } · { $company }留言：
    { $text }
res-photo-from-company = 工單 { $number } · { $company }發來照片

# ---- clocks: reminders, escalation, revisit, digest ----
dur-days = { $n } 天
dur-hours = { $n } 小時
dur-minutes = { $n } 分鐘
dur-under-minute = 不到 1 分鐘
deadline-response = 受理
deadline-resolution = 辦結
clk-reminder = ⏰ 提醒：工單 { $number } 的{ $which }時限快到了
    類別：{ $category } · { $estate }
    { $which }時限：{ $due }（還剩 { $left }）
clk-esc-level-1 = 一級督辦 · 街道辦
clk-esc-level-2 = 二級督辦 · 區物業辦
clk-esc-case = 🚨 { $level } · 工單 { $number }
    { $category } · { $estate }
    處理單位：{ $company }（聯絡人：{ $liaison }）
    { $which }時限 { $due }，已超時 { $over }。
clk-esc-summary = 🚨 { $level } · 另有 { $n } 件超時工單：
clk-esc-summary-cont = （續）
clk-esc-line = · { $number } { $estate } · { $which }超時 { $over }
clk-dashboard = 工作台：{ $url }
clk-office-street = 街道辦
clk-office-district = 區物業辦
clk-esc-liaison = ⚠️ 以下工單已超時，已上報{ $office }：
clk-esc-liaison-tail = 請儘快處理，發送 /cases 查看待辦工單。
rv-question = 📞 回訪：您的工單 { $number } 的問題解決了嗎？
rv-question-reminder = 🔔 提醒：您的工單 { $number } 的問題解決了嗎？請點擊下方按鈕回答。
rv-note = 處理說明：{ $note }
btn-rv-yes = ✅ 已解決
btn-rv-no = ❌ 未解決
btn-rv-reopen = ❌ 未解決，重新打開
rv-rate = 請為工單 { $number } 的處理評分：1 = 很不滿意，5 = 很滿意。
rv-rate-reopened = 已通知處理單位重新處理。也請為工單 { $number } 此前的處理評分：1 = 很不滿意，5 = 很滿意。
rv-thanks = 謝謝您的評價（{ $n } 分）！
rv-stale = 工單 { $number } 目前為「{ $state }」，無需再回答回訪。
rv-rated-already = 您已為工單 { $number } 評過分了。
rv-not-asked = 工單 { $number } 目前沒有需要評分的回訪。
card-reopened = 🔁 住戶反映問題未解決，工單已重新打開（重複投訴，第 { $n } 次），請重新處理：
lia-outcome-fixed = ✅ 回訪結果：住戶確認工單 { $number } 的問題已解決，工單已關閉。
lia-outcome-rated = ⭐ 住戶為工單 { $number } 的處理打了 { $n } 分（滿分 5 分）。
lia-outcome-rated-reopened = ⭐ 住戶為工單 { $number } 此前的處理打了 { $n } 分（滿分 5 分），問題仍未解決，請重新處理。
lia-reassigned-away = ↪️ 工單 { $number } 已由辦公室改派給其他聯絡人，您無需再處理。
btn-e-ack = 👁 已知悉
btn-e-reassign = 🔀 改派
btn-e-other-company = 🏢 其他單位
office-e-not-member = 只有負責該街道的辦公室成員（或區物業辦成員）才能操作。請先私聊機器人發送 /office 邀請碼。
office-e-acked = 👁 { $by } 已確認知悉工單 { $number } 的督辦。
office-e-acked-already = 工單 { $number } 的督辦已由 { $by } 確認知悉。
office-e-not-escalated = 工單 { $number } 目前沒有督辦。
office-e-ext-pending = 該工單有一項待審批的延期申請：
office-e-pick-liaison = 🔀 改派工單 { $number }（目前：{ $company } · { $liaison }），請選擇聯絡人：
office-e-pick-company = 🔀 改派工單 { $number }：請選擇單位：
office-e-no-liaisons = { $company } 沒有可用的聯絡人。
office-e-reassigned = 🔀 工單 { $number } 已改派給 { $company } · { $liaison }（{ $by }）。
office-e-closed = 工單 { $number } 目前為「{ $state }」，不能改派。
dg-title = 📊 { $office } 每日簡報（截至 { $until }）
dg-empty = 📊 { $office } 每日簡報（截至 { $until }）：過去 24 小時無新增督辦，無超時工單。
dg-new = 新增督辦：{ $n } 件
dg-new-line = · { $number } { $estate } · { $company } · { $office }
dg-new-more = ……另有 { $n } 件見工作台
dg-overdue = 仍超時：{ $n } 件
dg-companies = 各物業公司（在辦 / 超時 / 已督辦）：
dg-company = · { $company }：{ $open } / { $overdue } / { $escalated }
dg-undeliverable = ⚠️ { $n } 條通知未能送達：住戶已封鎖機器人。
dg-pending = 🕓 { $residents } 位住戶待審核，{ $cases } 件案件等待審核後派單：{ $url }
dg-subject = { $office } 每日簡報 { $day }

## Surveys (問卷)
sv-intro = 📋 { $title }
    共 { $n } 題，點擊按鈕作答，約一分鐘。答卷匿名，物業公司看不到您的個人答案。
sv-later = 可以隨時停下，發送 /survey 繼續。
sv-question = 第 { $i }/{ $n } 題：{ $text }
sv-resume = 📋 { $title }：從上次停下的地方繼續。
sv-reminder = 🔔 提醒：{ $title } 將於 { $until } 截止，您還沒有答完。
sv-thanks = 謝謝您填寫「{ $title }」！您的意見將用於物業服務考核。
sv-scale-low = 很不滿意
sv-scale-high = 很滿意
sv-stale = 這道題已經回答過了，請回答最新的一題。
sv-closed = 問卷已截止，謝謝。
sv-not-found = 找不到這份問卷。
sv-none = 您目前沒有需要填寫的問卷。

office-chat-ask-code = 請在命令後附上辦公室頁面上顯示的群關聯碼，例如：/office ABCD2345
office-chat-wrong-code = 關聯碼不正確。請到辦公室的管理頁面查看目前的群關聯碼。
office-chat-not-member = 只有「{ $office }」已登記的成員才能關聯本群。請先私訊機器人發送 /office 辦公室邀請碼。
office-chat-linked = ✅ 本群已關聯為「{ $office }」的工作群（{ $by }）。今後的升級提醒、延期申請、預警和每日摘要將發到這裡。
office-chat-removed = ⚠️ 機器人已被移出以下辦公室的群：{ $offices }。升級和摘要暫時無法送達，請重新把機器人加入群並發送 /office 關聯碼。
# An outgoing photo Telegram would not take: sent as this text instead (bot/render/media-fallback.ts).
media-fallback = 照片無法透過 Telegram 發送，請在此查看（連結 { $days } 天內有效）：
media-fallback-none = 照片無法透過 Telegram 發送，也未能保存。

# Linking a web resident (bot/features/link.ts)
link-usage = 請發送網頁「我的案件」上顯示的綁定碼，例如：/link K7Q4MZ
link-ok = 已綁定！網頁和機器人裡是同一個住戶，能看到同樣的案件（轉入 { $n } 件）。進度會在這裡通知您。
link-already = 這個 Telegram 帳號已經和網頁住戶綁定了。
link-unknown = 綁定碼不正確。請核對網頁「我的案件」上的綁定碼後重新發送。
link-expired = 綁定碼已過期。請重新整理網頁「我的案件」取得新的綁定碼。
link-used = 這個綁定碼已經用過了。請重新整理網頁「我的案件」取得新的綁定碼。
link-other = 這個網頁住戶已經綁定了另一個 Telegram 帳號。
