-- The outbox claim walks pending messages in id order and takes each one that is the oldest open
-- message of its chat (OutboxMessage_open_idx). This partial index holds only pending rows, so the
-- walk skips the sent history and the leased rows (bench:intake: 1.3 -> 0.85 ms per claim).
CREATE INDEX "OutboxMessage_pending_idx" ON "OutboxMessage" (id) WHERE status = 'pending';
