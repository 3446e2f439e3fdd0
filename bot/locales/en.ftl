lang-choose = 请选择语言 / 請選擇語言 / Choose a language:
lang-set = Language set to English.

reg-welcome = Welcome to the estate complaints and repairs service. First register your address; once verified you can file complaints, repair requests and suggestions. Send /language to change the language.
reg-estate = Choose your estate (page { $page }/{ $pages }):
reg-estate-type = Or type part of the estate's name, or its pinyin initials (e.g. "hpxq").
reg-estate-found = { $n ->
    [one] 1 estate found, choose it:
   *[other] { $n } estates found, choose one:
}
reg-estate-none = Nothing found for "{ $text }". Try another spelling, or choose from the list.
reg-building-type = Many buildings: you can also type the building number (e.g. "3").
reg-building-found = { $n } building(s) found, choose one:
reg-building-none = Nothing found for "{ $text }". Choose from the list.
btn-all-estates = 📋 All estates
reg-building = { $estate }: choose your building:
reg-unit = { $estate } { $building }: choose your unit:
reg-verify = Your address: { $address }
    Send the estate's invite code (ask the property service centre or the community committee), or press "Request approval".
reg-code-wrong = That invite code is not right. Check it and send it again, or press "Request approval". ({ $left } tries left)
reg-code-locked = Too many wrong codes. Please press "Request approval" so that staff can verify you.
reg-verified = Verified! You are registered as a resident of { $address }.
reg-pending = Approval requested ({ $address }). You can file cases once you are approved; we will let you know.
reg-phone = Optional: share your phone number so the street office or the property company can call you if needed. Use the button below, or press "Skip".
reg-phone-saved = Phone number saved.
reg-phone-not-own = Only your own phone number can be shared. Use the "Share my phone number" button below, or press "Skip".
reg-phone-skipped = OK, no phone number saved.
reg-restart = Register your address again:
btn-request-approval = Request approval
btn-share-phone = 📱 Share my phone number
btn-skip = Skip
btn-prev = ⬅️ Previous
btn-next = Next ➡️

menu = What would you like to do?
btn-new = 📝 Complaint / repair / suggestion
btn-mycases = 📋 My cases
btn-language = 🌐 Language
btn-help = ❓ Help
status-pending = Your registration is still awaiting approval. You can file cases once you are approved.
status-rejected = Your registration was not approved. Contact your community committee, or send /start to register again.
res-approved = ✅ Your registration at { $address } is approved. You can now file complaints and repair requests.
res-rejected = Your registration at { $address } was not approved. Reason: { $reason }
    If you have questions, contact your community committee, or send /start to register again.
not-registered = Please send /start first to register your address.

draft-resume = Continuing your unfinished draft (send /cancel to drop it).
file-kind = What is it?
kind-complaint = Complaint
kind-repair = Repair
kind-suggestion = Suggestion
kind-lc-complaint = complaint
kind-lc-repair = repair request
kind-lc-suggestion = suggestion
file-category = { $kind }: choose a category:
file-description = Describe the problem in text (at most { $max } characters).
file-too-long = That is too long ({ $len }/{ $max } characters). Please shorten it and send it again. Your draft is kept.
file-empty = The description cannot be empty. Please describe the problem in text.
file-photo-added = Photo { $n }/{ $max } received.
file-photo-limit = You can add at most { $max } photos; this one was not saved.
file-photo-early = Photo saved ({ $n }/{ $max }). Please also describe the problem in text.
file-location = This is about a shared area of the estate: press "📍 Send location" below to show us where, or "Skip".
file-urgency = Is it urgent (a danger to safety, or serious disruption)?
btn-send-location = 📍 Send location
btn-change-category = 🔁 Change category
btn-all-categories = 📋 All categories
file-category-any = Choose a category:
ft-ask-category = I'm not sure what kind of problem this is. Please pick the closest category:
ft-proposal = Here is what I understood. If it is right, press "Confirm":
ft-emergency-filed = 🚨 This is an emergency: it was filed at once (case { $number }) and the street office was told; no confirmation needed. You can still send photos or details.
draft-updated = Draft updated.
file-photo-group = Photos received; they will be attached when you submit.
file-location-saved = 📍 Location received.
file-location-skipped = OK, no location.
file-summary = Please check:
    Kind: { $kind }
    Category: { $category }
    Address: { $address }
    Description: { $description }
    Photos: { $photos }
    Location: { $location }
    Urgent: { $urgent }
file-cancelled = Cancelled; the draft was deleted.
file-already = This case was already filed as { $number }. Send /mycases to follow it.
file-submitting = Submitting…
nothing-to-cancel = There is nothing to cancel.
cancelled = Cancelled.
btn-done = Done
btn-yes-urgent = Yes, urgent
btn-not-urgent = Not urgent
btn-confirm = ✅ Confirm
btn-edit = ✏️ Edit description
btn-cancel = ✖️ Cancel
yes = yes
no = no
location-given = given
location-none = none

filed-resident = Your { $kind } was received. Case number: { $number }
    Category: { $category }
    { $routing }
    Send /mycases to follow it at any time.
filed-routed = Passed to { $company }; response due by { $due }.
filed-routed-nodue = Passed to { $company }.
filed-unroutable = Passed to the street office for assignment.
tr-accepted = Your case { $number } was accepted and is being handled.
tr-resolved = Your case { $number } was resolved.
    Note: { $note }
tr-reopened = Your case { $number } was reopened; we will follow it up.
tr-closed = Your case { $number } is closed. Thank you for your feedback!

mycases-empty = You have not filed any case yet. Send /new to file one.
mycases-title = Your cases (page { $page }/{ $pages }); tap one for details:
case-detail = Case { $number }
    Kind: { $kind } · { $category }
    Status: { $state }
    Address: { $address }
    Filed: { $created }
    Response due: { $response }
    Resolution due: { $resolution }
    Description: { $description }
case-events = Latest updates:
case-no-due = —
btn-add-message = 💬 Add message
btn-add-photo = 📷 Add photo
btn-back = ⬅️ Back to list
add-message-prompt = Send the text to add to case { $number } (at most { $max } characters). Send /cancel to cancel.
add-photo-prompt = Send one photo for case { $number }. Send /cancel to cancel.
add-sent = Added to case { $number } and passed on to the person handling it.
add-closed = Case { $number } is closed and cannot be changed. If the problem is still there, please file a new case.
add-want-text = Please send text.
add-want-photo = Please send a picture as a photo.
case-not-found = That case was not found.

state-received = received
state-routed = assigned
state-unroutable = awaiting assignment
state-accepted = in progress
state-resolved = resolved
state-revisit = follow-up
state-reopened = reopened
state-closed = closed
state-awaiting_approval = Waiting for approval

ev-filed = filed
ev-hold = awaiting approval
ev-release = approved
ev-reject = not approved
ev-route = assigned
ev-unroutable = awaiting assignment
ev-assign = assigned
ev-accept = accepted
ev-resolve = resolved
ev-transfer = returned to office
ev-startRevisit = follow-up
ev-confirmFixed = confirmed fixed
ev-reopen = reopened
ev-closeNoAnswer = closed
ev-officeClose = closed
ev-message = message
ev-photo = photo
ev-other = update

card-new = 🆕 New case { $number }
card-title-reopened = 🔁 Reopened case { $number }
card-emergency = 🚨 EMERGENCY
card-office-emergency = 🚨 Emergency case, for the street office's attention:
card-office-unroutable = ⚠️ Could not be routed automatically; please assign:
card-body = Kind: { $kind } · { $category }
    Address: { $address }
    Description: { $description }
    Response due: { $response }
    Resolution due: { $resolution }
card-urgent-hint = Marked urgent by the resident
card-photos = { $n ->
    [one] 1 photo attached (below)
   *[other] { $n } photos attached (below)
}
card-location = Location: { $lat }, { $lon }
card-company = Handled by: { $company }
liaison-message = Case { $number }: the resident adds:
    { $text }
liaison-photo = Case { $number }: photo added by the resident

help = Commands:
    /new file a complaint, repair request or suggestion
    /mycases your cases
    /survey continue the satisfaction survey
    /language change language
    /cancel drop what you are doing
    /start register / main menu
    /help this help
    Property company liaison: /liaison <invite code>
err-generic = Sorry, something went wrong while handling that. Please try again in a moment; nothing you entered was lost.
unknown-command = I don't know that command. Send /help to see what I can do.
unsupported-sticker = Thanks! I can't read stickers, though; please use text or the buttons.
unsupported-media = I can't take this kind of message (voice, video, files…). Please describe it in text, and send pictures as photos.
use-buttons = Please choose with the buttons below.
text-too-long = That message is too long ({ $len } characters); please send it in several parts.
text-too-long-kept = That message is too long ({ $len } characters); please send it in several parts. The first { $max } characters are kept as a draft; once it is filed, add the rest under My cases.
btn-outdated = This button is outdated; please use the latest message.
btn-invalid = I don't recognise this button.
not-expected = That isn't needed right now.
edited-ignored = Edited messages are not read again. To correct something, please send it again.

# ---- liaison and office (staff texts use the default locale) ----
tr-transferred = Your case { $number } was passed to the street office for reassignment; we will follow it up.
tr-rejected = Your registration was not approved, so case { $number } is closed. Reason: { $note }
card-state = State: { $state }
card-phone = Resident's phone: { $phone } (shared at registration)
card-assigned = 📌 The street office assigned this case to you:
card-office-transferred = ↩️ { $company } sent this case back; please reassign it. Reason: { $reason }
transfer-reason-estate-moved = the estate moved to { $company }, which has no liaison yet
transfer-reason-liaison-off = liaison { $liaison } was deactivated
btn-reply = ↩️ Reply
btn-l-accept = ✅ Accept
btn-l-message = 💬 Message resident
btn-l-resolve = 🛠 Resolve
btn-l-extend = ⏳ Ask extension
btn-l-transfer = ↩️ Not ours
btn-l-reply = ↩️ Reply to resident
btn-l-new = ➕ I am a new liaison
btn-l-ext-days = +{ $n } working day(s) ({ $due })
btn-x-approve = ✅ Approve
btn-x-deny = ✖️ Deny
join-ask-code = Please send your company's liaison invite code (from the street office or your company admin). Send /cancel to stop.
join-code-wrong = That invite code is not right. Please check it and send it again. ({ $left } tries left)
join-locked = Too many wrong invite codes. Please contact the street office.
join-pick = { $company }: which liaison are you? If you are not on the list, press "I am a new liaison".
join-ask-name = Please send the name to show (at most { $max } characters). Residents never see it; the office does.
join-done = Done: you are { $company }'s liaison "{ $name }". New cases arrive here as cards. Send /cases for your open cases.
lia-phone-ask = Optional: share your phone number to sign in to the web workspace (/w/) from a phone browser without Telegram, and get new cases by SMS.
lia-phone-saved = Phone saved: { $phone }. You can also sign in to the web workspace /w/ with it.
lia-phone-skipped = OK, no phone saved.
lia-phone-not-own = Please share your own number (the button below).
lia-phone-not-mainland = That is not a mainland China mobile number, so it was not saved; the street office can enter one in the directory.
join-taken = Someone else has already registered as this liaison. Please choose again.
join-already = You are already registered as { $company }'s liaison "{ $name }". Send /cases for your open cases.
join-is-resident = This account is registered as a resident and cannot also be a company liaison. Please register the liaison with another Telegram account.
office-ask-code = Please add the office invite code, e.g. /office OF-DONGCHENG
office-is-liaison = A company liaison cannot also be an office member.
office-joined = You joined "{ $office }". You can now decide extension requests in the office group chat.
office-not-member = Only members of the office responsible for this street (or of the district office) can decide. Send /office <invite code> to the bot in private first.
office-ext-decided = This extension request for case { $number } has already been decided.
office-ext-closed = Case { $number } is "{ $state }" now; no extension is needed.
office-ext-request = ⏳ Extension request · case { $number }
    Company: { $company } (liaison: { $liaison })
    Current resolution deadline: { $from }
    Requested: { $to }
    Reason: { $reason }
office-ext-approved = ✅ Extension for case { $number } approved; new resolution deadline { $due } ({ $by }).
office-ext-denied = ✖️ Extension for case { $number } denied ({ $by }).
lia-help = Hello { $name } ({ $company } liaison).
    New cases arrive here as cards with buttons: Accept · Message resident · Resolve · Ask extension · Not ours.
    /cases your open cases, nearest deadline first
    /cancel drop what you are doing
    /help this help
lia-hint = Send /cases for your open cases, /help for help.
lia-unknown-command = Commands for liaisons: /cases, /cancel, /help.
lia-not-yours = This case does not belong to your company.
lia-stale = Case { $number } is "{ $state }" now; this action is no longer available.
lia-status = Case { $number } · { $state }
lia-accepted-ack = Accepted
lia-accepted = ✅ Case { $number } accepted; the resident was told.
lia-cases-empty = No open cases right now.
lia-cases-title = { $n } open case(s) ({ $overdue } overdue), nearest deadline first; ⏰ marks overdue. Tap one to open it:
lia-cases-more = { $n } more not listed.
lia-no-resident = This case has no resident to message (not filed through the bot).
lia-message-prompt = Send one text (at most { $max } characters) or one photo for the resident of case { $number }. They will not see your account. Send /cancel to stop.
lia-message-sent = Passed on to the resident of case { $number }.
lia-message-undelivered = Logged on case { $number }, but the resident has blocked the bot, so it cannot be delivered for now.
lia-resolve-prompt = Send the resolution note for case { $number } (the resident will read it; at most { $max } characters). Send /cancel to stop.
lia-resolve-photo = Optional: send photos of the result (at most { $max }), then press "Done"; no photos, press "Skip".
lia-resolve-photo-only = Please send it as a photo, or press the button below.
lia-resolved = 🛠 Case { $number } resolved; the resident got your note.
lia-ext-reason = Send the reason for extending case { $number }. Send /cancel to stop.
lia-ext-date = Current resolution deadline: { $due }. Pick the new one, or send a time as YYYY-MM-DD HH:mm.
lia-ext-bad-date = That time is not in the YYYY-MM-DD HH:mm format, e.g. 2026-12-01 18:00.
lia-ext-not-later = The new deadline must be later than the current one ({ $due }) and than now.
lia-ext-no-due = This case has no resolution deadline to extend.
lia-ext-pending = An extension request for case { $number } is already waiting for a decision.
lia-ext-sent = ⏳ Extension request for case { $number } (to { $due }) sent to the street office; you will hear the decision.
lia-ext-stored = ⏳ Extension request for case { $number } (to { $due }) stored; the office decides it on the dashboard.
lia-ext-approved = ✅ Extension for case { $number } approved; new resolution deadline: { $due }.
lia-ext-denied = ✖️ Extension for case { $number } denied; the deadline stays as it was.
lia-transfer-prompt = Why is case { $number } not your company's? It goes back to the street office for reassignment. Send /cancel to stop.
lia-transferred = ↩️ Case { $number } sent back to the street office with your reason.
lia-flow-gone = That case is no longer your company's; the action was cancelled.
res-message-from-company = Case { $number } · message from { $company }:
    { $text }
res-photo-from-company = Case { $number } · photo from { $company }

# ---- clocks: reminders, escalation, revisit, digest ----
dur-days = { $n } d
dur-hours = { $n } h
dur-minutes = { $n } min
dur-under-minute = under a minute
deadline-response = response
deadline-resolution = resolution
clk-reminder = ⏰ Reminder: the { $which } deadline of case { $number } is near
    Category: { $category } · { $estate }
    { $which } deadline: { $due } ({ $left } left)
clk-esc-level-1 = Level 1 escalation · street office
clk-esc-level-2 = Level 2 escalation · district office
clk-esc-case = 🚨 { $level } · case { $number }
    { $category } · { $estate }
    Company: { $company } (liaison: { $liaison })
    { $which } deadline { $due }, overdue by { $over }.
clk-esc-summary = 🚨 { $level } · { $n } more overdue cases:
clk-esc-summary-cont = (continued)
clk-esc-line = · { $number } { $estate } · { $which } overdue by { $over }
clk-dashboard = Dashboard: { $url }
clk-office-street = the street office
clk-office-district = the district office
clk-esc-liaison = ⚠️ These cases are overdue and were escalated to { $office }:
clk-esc-liaison-tail = Please handle them soon; /cases lists your open cases.
rv-question = 📞 Follow-up: is the problem of your case { $number } fixed?
rv-question-reminder = 🔔 Reminder: is the problem of your case { $number } fixed? Please answer with the buttons below.
rv-note = Resolution note: { $note }
btn-rv-yes = ✅ Fixed
btn-rv-no = ❌ Not fixed
btn-rv-reopen = ❌ Not fixed — reopen
rv-rate = How satisfied are you with the handling of case { $number }? 1 = very dissatisfied, 5 = very satisfied.
rv-rate-reopened = We have asked the company to handle it again. Please also rate the handling of case { $number } so far: 1 = very dissatisfied, 5 = very satisfied.
rv-thanks = Thank you for your rating ({ $n })!
rv-stale = Case { $number } is now "{ $state }": no answer is needed any more.
rv-rated-already = You have already rated case { $number }.
rv-not-asked = Case { $number } has no follow-up waiting for a rating.
card-reopened = 🔁 The resident says the problem is not fixed: the case is reopened (repeat complaint, #{ $n }). Please handle it again:
lia-outcome-fixed = ✅ Revisit: the resident confirmed case { $number } is fixed; the case is closed.
lia-outcome-rated = ⭐ The resident rated the handling of case { $number }: { $n } out of 5.
lia-outcome-rated-reopened = ⭐ The resident rated the earlier handling of case { $number }: { $n } out of 5. It is still not fixed: please handle it again.
lia-reassigned-away = ↪️ Case { $number } was reassigned by the office to another liaison; no further action from you.
btn-e-ack = 👁 Acknowledge
btn-e-reassign = 🔀 Reassign
btn-e-other-company = 🏢 Other company
office-e-not-member = Only members of the office responsible for this street (or of the district office) can do this. Send /office with your invite code to the bot in a private chat first.
office-e-acked = 👁 { $by } acknowledged the escalation of case { $number }.
office-e-acked-already = The escalation of case { $number } was already acknowledged by { $by }.
office-e-not-escalated = Case { $number } is not escalated.
office-e-ext-pending = This case has an extension request waiting for a decision:
office-e-pick-liaison = 🔀 Reassign case { $number } (now: { $company } · { $liaison }). Choose a liaison:
office-e-pick-company = 🔀 Reassign case { $number }: choose a company:
office-e-no-liaisons = { $company } has no active liaison.
office-e-reassigned = 🔀 Case { $number } reassigned to { $company } · { $liaison } ({ $by }).
office-e-closed = Case { $number } is now "{ $state }" and cannot be reassigned.
dg-title = 📊 { $office } daily digest (until { $until })
dg-empty = 📊 { $office } daily digest (until { $until }): no new escalations and no overdue cases in the last 24 hours.
dg-new = New escalations: { $n }
dg-new-line = · { $number } { $estate } · { $company } · { $office }
dg-new-more = … { $n } more on the dashboard
dg-overdue = Still overdue: { $n }
dg-companies = Per company (open / overdue / escalated):
dg-company = · { $company }: { $open } / { $overdue } / { $escalated }
dg-undeliverable = ⚠️ { $n } messages could not be delivered: the residents blocked the bot.
dg-pending = 🕓 { $residents } residents wait for approval, with { $cases } cases held until then: { $url }
dg-subject = { $office } daily digest { $day }

## Surveys
sv-intro = 📋 { $title }
    { $n } questions, answered with the buttons, about a minute. Answers are anonymous: the property company never sees yours.
sv-later = You can stop at any time and send /survey to continue.
sv-question = Question { $i }/{ $n }: { $text }
sv-resume = 📋 { $title }: carrying on where you stopped.
sv-reminder = 🔔 Reminder: { $title } closes on { $until } and you have not finished it.
sv-thanks = Thank you for answering "{ $title }"! Your views count in the property company's assessment.
sv-scale-low = very unhappy
sv-scale-high = very happy
sv-stale = That question is answered already; please answer the latest one.
sv-closed = This survey has closed. Thank you.
sv-not-found = Survey not found.
sv-none = You have no survey to answer right now.

office-chat-ask-code = Add the group link code shown on the office's dashboard page, e.g. /office ABCD2345
office-chat-wrong-code = That link code is not right. The office's dashboard page shows the current one.
office-chat-not-member = Only a registered member of “{ $office }” can link this group. First send /office with the office's invite code to the bot in a private chat.
office-chat-linked = ✅ This group is now the working group of “{ $office }” ({ $by }). Escalations, extension requests, early warnings and the daily digest will come here.
office-chat-removed = ⚠️ The bot was removed from the group of: { $offices }. Escalations and digests cannot reach them until the bot is added back and /office <link code> is sent there.
# An outgoing photo Telegram would not take: sent as this text instead (bot/render/media-fallback.ts).
media-fallback = The photo could not be sent through Telegram; see it here (the link opens for { $days } days):
media-fallback-none = The photo could not be sent through Telegram, and it is not on file.

# Linking a web resident (bot/features/link.ts)
link-usage = Send the code shown on the web page "My cases", e.g. /link K7Q4MZ
link-ok = Linked! The web and the bot are now one resident with the same cases ({ $n } moved over). Progress will come here.
link-already = This Telegram account is already linked to that web resident.
link-unknown = That code is not right. Check the code on the web page "My cases" and send it again.
link-expired = That code has expired. Reload "My cases" on the web for a new one.
link-used = That code was used already. Reload "My cases" on the web for a new one.
link-other = That web resident is already linked to another Telegram account.
