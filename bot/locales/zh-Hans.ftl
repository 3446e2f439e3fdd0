lang-choose = 请选择语言 / 請選擇語言 / Choose a language:
lang-set = 语言已设置为简体中文。

reg-welcome = 欢迎使用小区物业投诉与报修服务。先登记您的住址，验证后即可提交投诉、报修或建议。发送 /language 可切换语言。
reg-estate = 请选择您所在的小区（第 { $page }/{ $pages } 页）：
reg-estate-type = 也可以直接输入小区名称或拼音首字母查找（如“和平”或“hpxq”）。
reg-estate-found = 找到 { $n } 个小区，请选择：
reg-estate-none = 没有找到“{ $text }”，请换个写法，或在列表中选择。
reg-building-type = 楼栋较多，也可以直接输入楼号查找（如“3”）。
reg-building-found = 找到 { $n } 栋楼，请选择：
reg-building-none = 没有找到“{ $text }”，请在列表中选择。
btn-all-estates = 📋 全部小区
reg-building = { $estate }：请选择楼栋：
reg-unit = { $estate } { $building }：请选择单元：
reg-verify = 您的住址：{ $address }
    请发送小区邀请码（可向物业服务中心或居委会索取），或点击“申请审核”。
reg-code-wrong = 邀请码不正确，请核对后重新发送，或点击“申请审核”。（还可尝试 { $left } 次）
reg-code-locked = 邀请码错误次数过多。请点击“申请审核”，由工作人员核实。
reg-verified = 验证成功！您已登记为 { $address } 的住户。
reg-pending = 已提交审核申请（{ $address }）。审核通过后即可提交投诉或报修，届时会通知您。
reg-phone = 可选：分享您的手机号，便于街道或物业在必要时联系您。点击下方按钮分享，或点击“跳过”。
reg-phone-saved = 手机号已保存。
reg-phone-not-own = 只能分享您本人的手机号。请点击下方“分享手机号”按钮，或点击“跳过”。
reg-phone-skipped = 好的，不保存手机号。
reg-restart = 重新登记住址：
btn-request-approval = 申请审核
btn-share-phone = 📱 分享手机号
btn-skip = 跳过
btn-prev = ⬅️ 上一页
btn-next = 下一页 ➡️

menu = 请选择要办理的事项：
btn-new = 📝 投诉 / 报修 / 建议
btn-mycases = 📋 我的工单
btn-language = 🌐 语言
btn-help = ❓ 帮助
status-pending = 您的住户身份还在审核中，审核通过后即可提交投诉或报修。
status-rejected = 您的住户登记未通过审核。如有疑问请联系居委会，或发送 /start 重新登记。
res-approved = ✅ 您的住户身份已审核通过（{ $address }）。现在可以提交投诉或报修了。
res-rejected = 您的住户登记（{ $address }）未通过审核。原因：{ $reason }
    如有疑问请联系居委会，或发送 /start 重新登记。
not-registered = 请先发送 /start 登记您的住址。

draft-resume = 继续填写您未完成的草稿（发送 /cancel 可放弃）。
file-kind = 请选择类型：
kind-complaint = 投诉
kind-repair = 报修
kind-suggestion = 建议
kind-lc-complaint = 投诉
kind-lc-repair = 报修
kind-lc-suggestion = 建议
file-category = { $kind }：请选择类别：
file-description = 请用文字描述问题（最多 { $max } 字）。
file-too-long = 内容太长了（{ $len }/{ $max } 字），请精简后重新发送。草稿已保留。
file-empty = 描述不能为空，请用文字描述问题。
file-photo-added = 已收到照片 { $n }/{ $max }。
file-photo-limit = 最多只能添加 { $max } 张照片，这张没有保存。
file-photo-early = 照片已保存（{ $n }/{ $max }）。请再用文字描述问题。
file-location = 这个问题在小区公共区域：请点击下方“📍 发送位置”告诉我们具体位置，或点击“跳过”。
file-urgency = 情况是否紧急（如危及安全、严重影响生活）？
btn-send-location = 📍 发送位置
btn-change-category = 🔁 更改类别
btn-all-categories = 📋 全部类别
file-category-any = 请选择类别：
ft-ask-category = 我不太确定这是哪一类问题，请选择最接近的类别：
ft-proposal = 我理解如下，确认无误请点击“确认提交”：
ft-emergency-filed = 🚨 这是紧急情况，已立即提交（工单 { $number }）并通知街道办，无需再确认。可继续发送照片或说明。
draft-updated = 已更新草稿。
file-photo-group = 已收到这组照片，提交时一并附上。
file-location-saved = 📍 位置已收到。
file-location-skipped = 好的，不提供位置。
file-summary = 请确认以下内容：
    类型：{ $kind }
    类别：{ $category }
    地址：{ $address }
    描述：{ $description }
    照片：{ $photos } 张
    位置：{ $location }
    紧急：{ $urgent }
file-cancelled = 已取消，草稿已删除。
file-already = 此工单已提交，编号 { $number }。发送 /mycases 查看进度。
file-submitting = 正在提交……
nothing-to-cancel = 当前没有进行中的操作。
cancelled = 已取消。
btn-done = 完成
btn-yes-urgent = 是，紧急
btn-not-urgent = 不紧急
btn-confirm = ✅ 确认提交
btn-edit = ✏️ 修改描述
btn-cancel = ✖️ 取消
yes = 是
no = 否
location-given = 已提供
location-none = 未提供

filed-resident = 已收到您的{ $kind }，工单编号：{ $number }
    类别：{ $category }
    { $routing }
    发送 /mycases 可随时查看进度。
filed-routed = 已转交{ $company }处理，受理时限：{ $due }。
filed-routed-nodue = 已转交{ $company }处理。
filed-unroutable = 已转交街道办分派处理。
tr-accepted = 您的工单 { $number } 已被受理，正在处理。
tr-resolved = 您的工单 { $number } 已处理完成。
    处理说明：{ $note }
tr-reopened = 您的工单 { $number } 已重新打开，我们会继续跟进。
tr-closed = 您的工单 { $number } 已结案。感谢您的反馈！

mycases-empty = 您还没有提交过工单。发送 /new 提交。
mycases-title = 您的工单（第 { $page }/{ $pages } 页），点击查看详情：
case-detail = 工单 { $number }
    类型：{ $kind } · { $category }
    状态：{ $state }
    地址：{ $address }
    提交时间：{ $created }
    受理时限：{ $response }
    办结时限：{ $resolution }
    描述：{ $description }
case-events = 最近进展：
case-no-due = —
btn-add-message = 💬 补充说明
btn-add-photo = 📷 补充照片
btn-back = ⬅️ 返回列表
add-message-prompt = 请发送要补充给工单 { $number } 的文字（最多 { $max } 字）。发送 /cancel 取消。
add-photo-prompt = 请为工单 { $number } 发送一张照片。发送 /cancel 取消。
add-sent = 已补充到工单 { $number }，并已转告处理人员。
add-closed = 工单 { $number } 已结案，无法补充。如问题仍存在，请提交新工单。
add-want-text = 请发送文字。
add-want-photo = 请以“照片”形式发送一张图片。
case-not-found = 未找到该工单。

state-received = 已接收
state-routed = 已派单
state-unroutable = 待街道分派
state-accepted = 处理中
state-resolved = 已处理
state-revisit = 回访中
state-reopened = 已重新打开
state-closed = 已结案
state-awaiting_approval = 等待审核

ev-filed = 提交
ev-hold = 待审核
ev-release = 审核通过
ev-reject = 未通过审核
ev-route = 派单
ev-unroutable = 待分派
ev-assign = 分派
ev-accept = 受理
ev-resolve = 处理完成
ev-transfer = 退回街道
ev-startRevisit = 回访
ev-confirmFixed = 确认解决
ev-reopen = 重新打开
ev-closeNoAnswer = 结案
ev-officeClose = 结案
ev-message = 留言
ev-photo = 照片
ev-other = 更新

card-new = 🆕 新工单 { $number }
card-title-reopened = 🔁 重新打开的工单 { $number }
card-emergency = 🚨 紧急
card-office-emergency = 🚨 紧急工单，请街道办关注：
card-office-unroutable = ⚠️ 未能自动派单，请街道办分派：
card-body = 类型：{ $kind } · { $category }
    地址：{ $address }
    描述：{ $description }
    受理时限：{ $response }
    办结时限：{ $resolution }
card-urgent-hint = 住户标记为紧急
card-photos = 附照片 { $n } 张（见下方）
card-location = 位置：{ $lat }, { $lon }
card-company = 处理单位：{ $company }
liaison-message = 工单 { $number } 住户补充说明：
    { $text }
liaison-photo = 工单 { $number } 住户补充照片

help = 可用命令：
    /new 提交投诉、报修或建议
    /mycases 查看我的工单
    /survey 继续填写满意度问卷
    /language 切换语言
    /cancel 放弃当前操作
    /start 登记住址 / 主菜单
    /help 帮助
    物业联络人：/liaison 邀请码
err-generic = 抱歉，处理您的请求时出了点问题，请稍后再试。您已填写的内容没有丢失。
unknown-command = 不认识这个命令。发送 /help 查看可用命令。
unsupported-sticker = 谢谢！不过我看不懂贴纸，请用文字或按钮操作。
unsupported-media = 暂不支持这种消息（语音、视频、文件等）。请用文字描述，图片请以“照片”形式发送。
use-buttons = 请点击下方按钮选择。
text-too-long = 消息太长了（{ $len } 字），请分几条发送。
text-too-long-kept = 消息太长了（{ $len } 字），请分几条发送。前 { $max } 字已存为草稿；提交后可在“我的工单”里补充其余内容。
btn-outdated = 这个按钮已过期，请使用最新的消息。
btn-invalid = 无法识别这个按钮。
not-expected = 现在不需要这个。
edited-ignored = 修改过的消息不会被重新读取。如需更正，请重新发送。

# ---- liaison and office (staff texts use the default locale) ----
tr-transferred = 您的工单 { $number } 已转交街道办重新分派，我们会继续跟进。
tr-rejected = 您的登记未通过审核，工单 { $number } 已关闭。原因：{ $note }
card-state = 状态：{ $state }
card-phone = 住户电话：{ $phone }（住户登记时提供）
card-assigned = 📌 街道办已将此工单分派给您：
card-office-transferred = ↩️ { $company } 退回此工单，请街道办重新分派。理由：{ $reason }
transfer-reason-estate-moved = 小区已改由{ $company }管理，尚无联络人
transfer-reason-liaison-off = 联络人{ $liaison }已停用
btn-reply = ↩️ 回复
btn-l-accept = ✅ 受理
btn-l-message = 💬 联系住户
btn-l-resolve = 🛠 办结
btn-l-extend = ⏳ 申请延期
btn-l-transfer = ↩️ 非我单位
btn-l-reply = ↩️ 回复住户
btn-l-new = ➕ 我是新联络人
btn-l-ext-days = +{ $n } 个工作日（{ $due }）
btn-x-approve = ✅ 批准延期
btn-x-deny = ✖️ 不批准
join-ask-code = 请发送贵公司的联络人邀请码（向街道办或公司管理员索取）。发送 /cancel 取消。
join-code-wrong = 邀请码不正确，请核对后重新发送。（还可尝试 { $left } 次）
join-locked = 邀请码错误次数过多，请联系街道办。
join-pick = { $company }：请选择您是哪位联络人；名单中没有您时，点击“我是新联络人”。
join-ask-name = 请发送您的称呼（最多 { $max } 字），住户看不到它，只有街道办能看到。
join-done = 登记完成：您是{ $company }的联络人“{ $name }”。新工单会以卡片形式发到这里。发送 /cases 查看待办工单。
lia-phone-ask = 可选：分享您的手机号，即可在没有 Telegram 时用手机浏览器登录联络人工作台(/w/)，并通过短信接收新工单。
lia-phone-saved = 手机号已保存：{ $phone }。也可以用它登录网页工作台 /w/。
lia-phone-skipped = 好的，未保存手机号。
lia-phone-not-own = 请分享您自己的手机号(用下方按钮)。
lia-phone-not-mainland = 这个号码不是中国大陆手机号，未保存；可请街道办在名录中填写。
join-taken = 这个联络人已被他人登记，请重新选择。
join-already = 您已登记为{ $company }的联络人“{ $name }”。发送 /cases 查看待办工单。
join-is-resident = 这个账号已登记为住户，不能同时作为物业联络人。请用另一个 Telegram 账号登记联络人。
office-ask-code = 请在命令后附上办公室邀请码，例如：/office OF-DONGCHENG
office-is-liaison = 物业联络人不能同时作为街道办成员。
office-joined = 您已加入“{ $office }”。在办公室工作群里可以审批延期申请。
office-not-member = 只有负责该街道的办公室成员（或区物业办成员）才能审批。请先私聊机器人发送 /office 邀请码。
office-ext-decided = 工单 { $number } 的这项延期申请已处理过了。
office-ext-closed = 工单 { $number } 当前为“{ $state }”，无需再延期。
office-ext-request = ⏳ 延期申请 · 工单 { $number }
    单位：{ $company }（联络人：{ $liaison }）
    原办结时限：{ $from }
    申请延至：{ $to }
    理由：{ $reason }
office-ext-approved = ✅ 工单 { $number } 延期已批准，新办结时限 { $due }（{ $by }）。
office-ext-denied = ✖️ 工单 { $number } 延期申请未批准（{ $by }）。
lia-help = 您好，{ $name }（{ $company }联络人）。
    新工单会以卡片形式发到这里，卡片下方的按钮：受理 · 联系住户 · 办结 · 申请延期 · 非我单位。
    /cases 待办工单（按时限排序）
    /cancel 放弃当前操作
    /help 帮助
lia-hint = 发送 /cases 查看待办工单，/help 查看帮助。
lia-unknown-command = 联络人可用的命令：/cases、/cancel、/help。
lia-not-yours = 此工单不属于贵公司，无法操作。
lia-stale = 工单 { $number } 当前为“{ $state }”，这个操作已不可用。
lia-status = 工单 { $number } · { $state }
lia-accepted-ack = 已受理
lia-accepted = ✅ 已受理工单 { $number }，已通知住户。
lia-cases-empty = 目前没有待办工单。
lia-cases-title = 待办工单 { $n } 件（已超时 { $overdue } 件），按最近时限排序，⏰ 为已超时。点击查看：
lia-cases-more = 另有 { $n } 件未列出。
lia-no-resident = 此工单没有可联系的住户（非机器人提交）。
lia-message-prompt = 请发送要转给工单 { $number } 住户的一条文字（最多 { $max } 字）或一张照片。住户看不到您的账号。发送 /cancel 取消。
lia-message-sent = 已转告工单 { $number } 的住户。
lia-message-undelivered = 已记录到工单 { $number }，但住户已停用机器人，暂时无法送达。
lia-resolve-prompt = 请发送工单 { $number } 的处理说明（会转告住户，最多 { $max } 字）。发送 /cancel 取消。
lia-resolve-photo = 可选：发送处理后的照片（最多 { $max } 张），然后点击“完成”；没有照片请点击“跳过”。
lia-resolve-photo-only = 请以“照片”形式发送，或点击下方按钮。
lia-resolved = 🛠 工单 { $number } 已办结，已将说明转告住户。
lia-ext-reason = 请发送工单 { $number } 申请延期的理由。发送 /cancel 取消。
lia-ext-date = 当前办结时限：{ $due }。请选择延至何时，或按“YYYY-MM-DD HH:mm”格式发送具体时间。
lia-ext-bad-date = 时间格式不对，请按“YYYY-MM-DD HH:mm”发送，例如 2026-12-01 18:00。
lia-ext-not-later = 新时限必须晚于当前办结时限（{ $due }）和现在。
lia-ext-no-due = 此工单没有办结时限，无需延期。
lia-ext-pending = 工单 { $number } 已有一项延期申请在等待审批。
lia-ext-sent = ⏳ 工单 { $number } 的延期申请（延至 { $due }）已提交街道办审批，结果会通知您。
lia-ext-stored = ⏳ 工单 { $number } 的延期申请（延至 { $due }）已记录，街道办将在工作台审批。
lia-ext-approved = ✅ 工单 { $number } 延期已批准，新办结时限：{ $due }。
lia-ext-denied = ✖️ 工单 { $number } 的延期申请未获批准，原办结时限不变。
lia-transfer-prompt = 请说明工单 { $number } 不属于贵公司的理由，将转给街道办重新分派。发送 /cancel 取消。
lia-transferred = ↩️ 工单 { $number } 已退回街道办，理由已转告。
lia-flow-gone = 该工单已不在贵公司名下，操作已取消。
res-message-from-company = 工单 { $number } · { $company }留言：
    { $text }
res-photo-from-company = 工单 { $number } · { $company }发来照片

# ---- clocks: reminders, escalation, revisit, digest ----
dur-days = { $n } 天
dur-hours = { $n } 小时
dur-minutes = { $n } 分钟
dur-under-minute = 不到 1 分钟
deadline-response = 受理
deadline-resolution = 办结
clk-reminder = ⏰ 提醒：工单 { $number } 的{ $which }时限快到了
    类别：{ $category } · { $estate }
    { $which }时限：{ $due }（还剩 { $left }）
clk-esc-level-1 = 一级督办 · 街道办
clk-esc-level-2 = 二级督办 · 区物业办
clk-esc-case = 🚨 { $level } · 工单 { $number }
    { $category } · { $estate }
    处理单位：{ $company }（联络人：{ $liaison }）
    { $which }时限 { $due }，已超时 { $over }。
clk-esc-summary = 🚨 { $level } · 另有 { $n } 件超时工单：
clk-esc-summary-cont = （续）
clk-esc-line = · { $number } { $estate } · { $which }超时 { $over }
clk-dashboard = 工作台：{ $url }
clk-office-street = 街道办
clk-office-district = 区物业办
clk-esc-liaison = ⚠️ 以下工单已超时，已上报{ $office }：
clk-esc-liaison-tail = 请尽快处理，发送 /cases 查看待办工单。
rv-question = 📞 回访：您的工单 { $number } 的问题解决了吗？
rv-question-reminder = 🔔 提醒：您的工单 { $number } 的问题解决了吗？请点击下方按钮回答。
rv-note = 处理说明：{ $note }
btn-rv-yes = ✅ 已解决
btn-rv-no = ❌ 未解决
btn-rv-reopen = ❌ 未解决，重新打开
rv-rate = 请为工单 { $number } 的处理打分：1 = 很不满意，5 = 很满意。
rv-rate-reopened = 已通知处理单位重新处理。也请为工单 { $number } 此前的处理打分：1 = 很不满意，5 = 很满意。
rv-thanks = 谢谢您的评价（{ $n } 分）！
rv-stale = 工单 { $number } 当前为“{ $state }”，无需再回答回访。
rv-rated-already = 您已为工单 { $number } 打过分了。
rv-not-asked = 工单 { $number } 目前没有需要打分的回访。
card-reopened = 🔁 住户反映问题未解决，工单已重新打开（重复投诉，第 { $n } 次），请重新处理：
lia-outcome-fixed = ✅ 回访结果：住户确认工单 { $number } 的问题已解决，工单已关闭。
lia-outcome-rated = ⭐ 住户为工单 { $number } 的处理打了 { $n } 分（满分 5 分）。
lia-outcome-rated-reopened = ⭐ 住户为工单 { $number } 此前的处理打了 { $n } 分（满分 5 分），问题仍未解决，请重新处理。
lia-reassigned-away = ↪️ 工单 { $number } 已由办公室改派给其他联络人，您无需再处理。
btn-e-ack = 👁 已知悉
btn-e-reassign = 🔀 改派
btn-e-other-company = 🏢 其他单位
office-e-not-member = 只有负责该街道的办公室成员（或区物业办成员）才能操作。请先私聊机器人发送 /office 邀请码。
office-e-acked = 👁 { $by } 已确认知悉工单 { $number } 的督办。
office-e-acked-already = 工单 { $number } 的督办已由 { $by } 确认知悉。
office-e-not-escalated = 工单 { $number } 目前没有督办。
office-e-ext-pending = 该工单有一项待审批的延期申请：
office-e-pick-liaison = 🔀 改派工单 { $number }（当前：{ $company } · { $liaison }），请选择联络人：
office-e-pick-company = 🔀 改派工单 { $number }：请选择单位：
office-e-no-liaisons = { $company } 没有可用的联络人。
office-e-reassigned = 🔀 工单 { $number } 已改派给 { $company } · { $liaison }（{ $by }）。
office-e-closed = 工单 { $number } 当前为“{ $state }”，不能改派。
dg-title = 📊 { $office } 每日简报（截至 { $until }）
dg-empty = 📊 { $office } 每日简报（截至 { $until }）：过去 24 小时无新增督办，无超时工单。
dg-new = 新增督办：{ $n } 件
dg-new-line = · { $number } { $estate } · { $company } · { $office }
dg-new-more = ……另有 { $n } 件见工作台
dg-overdue = 仍超时：{ $n } 件
dg-companies = 各物业公司（在办 / 超时 / 已督办）：
dg-company = · { $company }：{ $open } / { $overdue } / { $escalated }
dg-undeliverable = ⚠️ { $n } 条通知未能送达：住户已屏蔽机器人。
dg-pending = 🕓 { $residents } 位住户待审核，{ $cases } 件案件等待审核后派单：{ $url }
dg-subject = { $office } 每日简报 { $day }

## Surveys (问卷)
sv-intro = 📋 { $title }
    共 { $n } 题，点击按钮作答，约一分钟。答卷匿名，物业公司看不到您的个人答案。
sv-later = 可以随时停下，发送 /survey 继续。
sv-question = 第 { $i }/{ $n } 题：{ $text }
sv-resume = 📋 { $title }：从上次停下的地方继续。
sv-reminder = 🔔 提醒：{ $title } 将于 { $until } 截止，您还没有答完。
sv-thanks = 谢谢您填写“{ $title }”！您的意见将用于物业服务考核。
sv-scale-low = 很不满意
sv-scale-high = 很满意
sv-stale = 这道题已经回答过了，请回答最新的一题。
sv-closed = 问卷已截止，谢谢。
sv-not-found = 找不到这份问卷。
sv-none = 您目前没有需要填写的问卷。

office-chat-ask-code = 请在命令后附上办公室页面上显示的群关联码，例如：/office ABCD2345
office-chat-wrong-code = 关联码不正确。请到办公室的管理页面查看当前的群关联码。
office-chat-not-member = 只有“{ $office }”已登记的成员才能关联本群。请先私聊机器人发送 /office 办公室邀请码。
office-chat-linked = ✅ 本群已关联为“{ $office }”的工作群（{ $by }）。今后的升级提醒、延期申请、预警和每日摘要将发到这里。
office-chat-removed = ⚠️ 机器人已被移出以下办公室的群：{ $offices }。升级和摘要暂时无法送达，请重新把机器人加入群并发送 /office 关联码。
# An outgoing photo Telegram would not take: sent as this text instead (bot/render/media-fallback.ts).
media-fallback = 照片无法通过 Telegram 发送，请在此查看（链接 { $days } 天内有效）：
media-fallback-none = 照片无法通过 Telegram 发送，也未能保存。

# Linking a web resident (bot/features/link.ts)
link-usage = 请发送网页“我的案件”上显示的绑定码，例如：/link K7Q4MZ
link-ok = 已绑定！网页和机器人里是同一个住户，能看到同样的案件（转入 { $n } 件）。进度会在这里通知您。
link-already = 这个 Telegram 账号已经和网页住户绑定了。
link-unknown = 绑定码不正确。请核对网页“我的案件”上的绑定码后重新发送。
link-expired = 绑定码已过期。请刷新网页“我的案件”获取新的绑定码。
link-used = 这个绑定码已经用过了。请刷新网页“我的案件”获取新的绑定码。
link-other = 这个网页住户已经绑定了另一个 Telegram 账号。
