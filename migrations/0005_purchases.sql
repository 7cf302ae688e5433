-- Buying credits through Stripe Checkout: the sessions we started, the events Stripe sent, the
-- refunds it reported, and what a refund could not take back because the credits were spent.

-- Credits a refunded purchase still owes (its credits were already spent). While above zero
-- no debit goes through; the next purchase settles it first.
ALTER TABLE users
    ADD COLUMN credits_owed integer NOT NULL DEFAULT 0 CHECK (credits_owed >= 0);

-- One row per Checkout Session we created: who may be granted it and what (the pack as it was
-- sold), whatever Stripe later reports.
CREATE TABLE credit_purchases (
    session_id        text PRIMARY KEY CHECK (char_length(session_id) BETWEEN 1 AND 255),
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    pack              text NOT NULL,
    credits           integer NOT NULL CHECK (credits > 0),
    price_cents       integer NOT NULL CHECK (price_cents >= 0),
    currency          text NOT NULL,
    status            text NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'paid', 'failed', 'expired')),
    -- Stripe's PaymentIntent, known once paid: how a charge.refunded finds its purchase.
    payment_intent    text UNIQUE,
    amount_paid       integer CHECK (amount_paid >= 0),
    -- Refunded credits taken from the balance, and those it could not cover (still owed).
    credits_taken_back integer NOT NULL DEFAULT 0 CHECK (credits_taken_back >= 0),
    credits_owed      integer NOT NULL DEFAULT 0 CHECK (credits_owed >= 0),
    created_at        timestamptz NOT NULL DEFAULT now(),
    paid_at           timestamptz,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (credits_taken_back + credits_owed <= credits)
);
CREATE INDEX credit_purchases_user_created_idx ON credit_purchases (user_id, created_at DESC);
CREATE INDEX credit_purchases_owing_idx ON credit_purchases (user_id, paid_at)
    WHERE credits_owed > 0;

-- Every Stripe event id once: a replay finds its id here and changes nothing.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 255),
    type        text NOT NULL,
    -- What handling it did (granted, refunded, or why it was ignored).
    outcome     text NOT NULL DEFAULT 'received',
    received_at timestamptz NOT NULL DEFAULT now()
);

-- The largest refunded amount Stripe reported per PaymentIntent (charge.refunded carries the
-- running total), kept even when it arrives before the payment's own event.
CREATE TABLE stripe_refunds (
    payment_intent  text PRIMARY KEY,
    amount          integer NOT NULL CHECK (amount > 0),
    amount_refunded integer NOT NULL CHECK (amount_refunded >= 0),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One purchase grant per Checkout Session, whichever event (completed, async succeeded) and
-- whichever delivery writes it.
CREATE UNIQUE INDEX credit_ledger_one_purchase_per_session
    ON credit_ledger (ref_id) WHERE ref_type = 'stripe_session' AND reason = 'purchase';
