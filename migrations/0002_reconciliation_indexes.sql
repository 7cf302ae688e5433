-- What the sweeper needs to find AI requests that were charged but never finished (their Lambda
-- was killed, or the refund itself failed), and the guarantee that a charge is refunded once.

-- One refund per reference, whoever writes it (the request itself or a sweep).
CREATE UNIQUE INDEX credit_ledger_one_refund_per_ref
    ON credit_ledger (ref_type, ref_id) WHERE reason = 'refund';

-- AI charges by age: the sweep looks only at those older than a few minutes.
CREATE INDEX credit_ledger_ai_charges_idx
    ON credit_ledger (created_at) WHERE ref_type = 'ai_request' AND delta < 0;

-- Whether a request finished (succeeded or failed) is its usage event.
CREATE INDEX usage_events_ref_idx ON usage_events (ref_type, ref_id) WHERE ref_id IS NOT NULL;

-- Claimed idempotency keys that never got an answer, by age.
CREATE INDEX idempotency_keys_unanswered_idx
    ON idempotency_keys (created_at) WHERE response_status IS NULL;
