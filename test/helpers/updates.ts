// Builds Telegram Update JSON as the Bot API delivers it (ids, dates, entities), for driving the
// bot through bot.handleUpdate in tests.
import type { Update, User, Chat, Message, MessageEntity } from "grammy/types";

let nextUpdateId = 500_000_000;
let nextMessageId = 1;
const now = () => Math.floor(Date.now() / 1000);

export interface Person {
  user: User;
  chat: Chat.PrivateChat;
}

// As a Chinese user fills Telegram's 名字 (first) and 姓氏 (last) fields: shown family name first, «张三».
export function person(id: number, firstName = "三", lastName = "张", languageCode = "zh-hans"): Person {
  return {
    user: { id, is_bot: false, first_name: firstName, last_name: lastName, language_code: languageCode },
    chat: { id, type: "private", first_name: firstName, last_name: lastName },
  };
}

type Extra = Partial<Omit<Message, "message_id" | "from" | "chat" | "date">>;

export function message(p: Person, extra: Extra, chat: Chat = p.chat): Update {
  return {
    update_id: nextUpdateId++,
    message: { message_id: nextMessageId++, from: p.user, chat, date: now(), ...extra } as NonNullable<Update["message"]>,
  };
}

export function text(p: Person, body: string): Update {
  return message(p, { text: body });
}

/** "/start" or "/start payload": a bot_command entity over the command, as Telegram sends it. */
export function command(p: Person, cmd: string, args = "", chat: Chat = p.chat): Update {
  const head = `/${cmd}`;
  const entities: MessageEntity[] = [{ type: "bot_command", offset: 0, length: head.length }];
  return message(p, { text: args ? `${head} ${args}` : head, entities }, chat);
}

export function callback(p: Person, data: string, messageId = 1, fromBot: User = botUser): Update {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: String(nextUpdateId * 7),
      from: p.user,
      chat_instance: `ci-${p.user.id}`,
      data,
      message: { message_id: messageId, from: fromBot, chat: p.chat, date: now(), text: "…" } as NonNullable<Update["message"]>,
    },
  };
}

export function photo(p: Person, fileId: string, caption?: string): Update {
  const sizes = [
    { file_id: `${fileId}-s`, file_unique_id: `${fileId}-us`, width: 90, height: 67, file_size: 1200 },
    { file_id: fileId, file_unique_id: `${fileId}-u`, width: 1280, height: 960, file_size: 182_000 },
  ];
  return message(p, { photo: sizes, ...(caption ? { caption } : {}) });
}

export function sticker(p: Person): Update {
  return message(p, {
    sticker: { file_id: "CAACAgIAAxkBAAIBsticker", file_unique_id: "AgADsticker", type: "regular", width: 512, height: 512, is_animated: false, is_video: false, emoji: "😀" },
  });
}

export function voice(p: Person): Update {
  return message(p, { voice: { file_id: "AwACAgIAAxkBvoice", file_unique_id: "AgADvoice", duration: 3, mime_type: "audio/ogg" } });
}

export function video(p: Person): Update {
  return message(p, { video: { file_id: "BAACAgIAAxkBvideo", file_unique_id: "AgADvideo", width: 640, height: 360, duration: 5 } });
}

export function documentMsg(p: Person): Update {
  return message(p, { document: { file_id: "BQACAgIAAxkBdoc", file_unique_id: "AgADdoc", file_name: "report.pdf", mime_type: "application/pdf" } });
}

export function contact(p: Person, phone: string, userId: number | undefined = p.user.id): Update {
  return message(p, { contact: { phone_number: phone, first_name: p.user.first_name, ...(userId !== undefined ? { user_id: userId } : {}) } });
}

export function location(p: Person, latitude: number, longitude: number): Update {
  return message(p, { location: { latitude, longitude } });
}

export const botUser: User = { id: 42, is_bot: true, first_name: "Estate Bot", username: "estate_test_bot" };

export function group(id: number): Chat.GroupChat {
  return { id, type: "group", title: "街道办工作群" };
}

/** The user edited an earlier message (Telegram sends the whole message again). */
export function edited(p: Person, messageId: number, body: string): Update {
  return {
    update_id: nextUpdateId++,
    edited_message: { message_id: messageId, from: p.user, chat: p.chat, date: now() - 60, edit_date: now(), text: body } as NonNullable<Update["edited_message"]>,
  };
}

/** One photo of an album: Telegram sends each as its own message sharing a media_group_id. */
export function albumPhoto(p: Person, fileId: string, mediaGroupId: string, caption?: string): Update {
  const update = photo(p, fileId, caption);
  (update.message as { media_group_id?: string }).media_group_id = mediaGroupId;
  return update;
}
