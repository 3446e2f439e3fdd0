// The ctx helper for outgoing messages: every reply becomes an outbox row. Keys derive from the
// update id, so a re-delivered update (webhook retry, crash before offset commit) never doubles a reply.
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import { enqueue, enqueueWith, type OutMessage } from "../../core/delivery/outbox.ts";
import type { HotSql } from "../../core/db/hot-sql.ts";
import type { Tx } from "../../core/cases/case-service.ts";
import { GroupCommit } from "../../core/delivery/group-commit.ts";

export type Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

/** Stores the replies of concurrently handled updates together: one INSERT per batch, not per reply. */
export function replyStore(sql: HotSql): (row: OutMessage) => Promise<void> {
  const batch = new GroupCommit<OutMessage, void>(async (rows) => void (await enqueueWith(sql.query, rows)));
  return (row) => batch.add(row);
}

export class Out {
  private seq = 0;

  constructor(
    private readonly store: (row: OutMessage) => Promise<void>,
    private readonly chatId: number | undefined,
    private readonly updateId: number,
    private readonly wake: () => void,
  ) {}

  // Chat id too: Telegram restarts update ids at random after a week without updates.
  private key(): string {
    return `u:${this.chatId}:${this.updateId}:${this.seq++}`;
  }

  private row(method: OutMessage["method"], payload: Record<string, unknown>): OutMessage {
    if (this.chatId === undefined) throw new Error("out: update has no chat");
    return { chatId: this.chatId, method, payload, dedupeKey: this.key() };
  }

  /** Text to the current chat; pass `tx` to commit it with a state change (then call `wake`). */
  async text(text: string, markup?: Markup, tx?: Tx): Promise<void> {
    const payload: Record<string, unknown> = { text };
    if (markup) payload.reply_markup = markup;
    const row = this.row("sendMessage", payload);
    await (tx ? enqueue(tx, row) : this.store(row));
    if (!tx) this.wake();
  }

  /** Removes the inline buttons of an answered message so it cannot be pressed again. */
  async clearButtons(messageId: number | undefined): Promise<void> {
    await this.editButtons(messageId, { inline_keyboard: [] });
  }

  /** Replaces the inline buttons of a message (e.g. only the actions still open). */
  async editButtons(messageId: number | undefined, markup: InlineKeyboardMarkup): Promise<void> {
    if (messageId === undefined) return;
    await this.store(this.row("editMessageReplyMarkup", { message_id: messageId, reply_markup: markup }));
    this.wake();
  }

  /** Rows for another chat (the liaison), in the caller's transaction. */
  async to(tx: Tx, chatId: bigint | number, method: OutMessage["method"], payload: Record<string, unknown>, caseId?: number): Promise<void> {
    await enqueue(tx, { chatId, method, payload, dedupeKey: this.key(), caseId });
  }

  wakeNow(): void {
    this.wake();
  }
}
