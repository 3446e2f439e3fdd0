// Long polling with @grammyjs/runner. Per-chat order comes from `sequentialize(chatSequenceKey)`,
// which createBot installs first in the middleware chain (it only works there).
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot, Context } from "grammy";

/** The constraint for sequentialize: updates of one chat (or one user, for chat-less updates) in order. */
export function chatSequenceKey(ctx: Context): string | undefined {
  const chat = ctx.chat?.id ?? ctx.callbackQuery?.message?.chat.id;
  if (chat !== undefined) return `c${chat}`;
  return ctx.from ? `u${ctx.from.id}` : undefined;
}

export interface PollingHandle {
  stop(): Promise<void>;
  /** Resolves when polling ends (stopped or crashed). */
  task(): Promise<void> | undefined;
}

export function startPolling<C extends Context>(bot: Bot<C>): PollingHandle {
  const handle: RunnerHandle = run(bot, {
    runner: { fetch: { allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"] } },
  });
  return {
    async stop() {
      if (handle.isRunning()) await handle.stop();
    },
    task: () => handle.task(),
  };
}
