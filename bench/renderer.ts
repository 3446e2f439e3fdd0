// The renderer benches use: the bot's own, so message building is part of what is measured.
import type { ClockRenderer } from "../core/clock-notices.ts";
import { textRenderer } from "../test/helpers/textRenderer.ts";

export function clockRendererForBench(): ClockRenderer {
  return textRenderer;
}
