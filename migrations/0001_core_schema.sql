-- The whole schema of asset-engine. Plain SQL that runs on PostgreSQL 15/16 and on Supabase.
-- gen_random_uuid() is built in since PostgreSQL 13, so no extension is needed.

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text NOT NULL,
    name            text,
    avatar_url      text,
    google_sub      text UNIQUE,
    role            text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    credits_balance integer NOT NULL DEFAULT 0 CHECK (credits_balance >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Emails are compared case-insensitively: one account per address.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE campaigns (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    objective   text,
    audience    text,
    channels    text[] NOT NULL DEFAULT '{}',
    brand_voice text,
    status      text NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'active', 'paused', 'completed', 'archived')),
    start_date  date,
    end_date    date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    -- Lets assets reference (id, user_id) so an asset can only join its owner's campaign.
    UNIQUE (id, user_id)
);
CREATE INDEX campaigns_user_created_idx ON campaigns (user_id, created_at DESC, id DESC);
CREATE INDEX campaigns_user_status_created_idx
    ON campaigns (user_id, status, created_at DESC, id DESC);

CREATE TABLE assets (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    campaign_id     uuid,
    kind            text NOT NULL CHECK (kind IN ('text', 'image')),
    asset_type      text,
    title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
    status          text NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'pending', 'failed')),
    -- current_version is the undo/redo pointer; latest_version is the newest row in asset_versions.
    -- 0/0 only while an image asset waits for its first picture.
    current_version integer NOT NULL DEFAULT 1 CHECK (current_version >= 0),
    latest_version  integer NOT NULL DEFAULT 1 CHECK (latest_version >= current_version),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (campaign_id, user_id) REFERENCES campaigns (id, user_id) ON DELETE SET NULL (campaign_id)
);
CREATE INDEX assets_user_created_idx ON assets (user_id, created_at DESC, id DESC);
CREATE INDEX assets_user_kind_created_idx ON assets (user_id, kind, created_at DESC, id DESC);
CREATE INDEX assets_campaign_created_idx
    ON assets (campaign_id, created_at DESC, id DESC) WHERE campaign_id IS NOT NULL;

CREATE TABLE asset_versions (
    asset_id     uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    version      integer NOT NULL CHECK (version >= 1),
    content      text,
    storage_path text,
    source       text NOT NULL CHECK (source IN ('manual', 'ai_generate', 'ai_refine', 'ai_regenerate')),
    title        text,
    metadata     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (asset_id, version)
);

-- Append-only: a refund is a new row, never an edit.
CREATE TABLE credit_ledger (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    delta         integer NOT NULL CHECK (delta <> 0),
    balance_after integer NOT NULL CHECK (balance_after >= 0),
    reason        text NOT NULL,
    ref_type      text,
    ref_id        text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_ledger_user_created_idx ON credit_ledger (user_id, created_at DESC, id DESC);
CREATE INDEX credit_ledger_ref_idx ON credit_ledger (ref_type, ref_id) WHERE ref_id IS NOT NULL;

CREATE OR REPLACE FUNCTION credit_ledger_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_ledger is append-only: % is not allowed', TG_OP;
END;
$$;
CREATE TRIGGER credit_ledger_no_update_delete
    BEFORE UPDATE OR DELETE ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_is_append_only();

CREATE OR REPLACE FUNCTION asset_versions_are_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'asset_versions rows are immutable';
END;
$$;
CREATE TRIGGER asset_versions_no_update
    BEFORE UPDATE ON asset_versions
    FOR EACH ROW EXECUTE FUNCTION asset_versions_are_immutable();

CREATE TABLE usage_events (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              text NOT NULL
                      CHECK (kind IN ('text_generation', 'image_generation', 'suggestions', 'refine',
                                      'regenerate', 'deduct')),
    status            text NOT NULL DEFAULT 'succeeded' CHECK (status IN ('succeeded', 'failed')),
    provider          text,
    credits_spent     integer NOT NULL DEFAULT 0,
    prompt_tokens     integer,
    completion_tokens integer,
    ref_type          text,
    ref_id            text,
    metadata          jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_events_user_created_idx ON usage_events (user_id, created_at DESC);

CREATE TABLE generation_jobs (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    asset_id          uuid NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    kind              text NOT NULL DEFAULT 'image' CHECK (kind IN ('image')),
    status            text NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'timed_out')),
    source            text NOT NULL DEFAULT 'ai_generate'
                      CHECK (source IN ('ai_generate', 'ai_regenerate')),
    provider          text,
    provider_job_id   text,
    request           jsonb NOT NULL DEFAULT '{}'::jsonb,
    credits_charged   integer NOT NULL DEFAULT 0,
    error             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz
);
CREATE INDEX generation_jobs_user_created_idx ON generation_jobs (user_id, created_at DESC, id DESC);
-- The sweeper scans only unfinished jobs, oldest first.
CREATE INDEX generation_jobs_open_idx ON generation_jobs (created_at)
    WHERE status IN ('queued', 'running');

CREATE TABLE idempotency_keys (
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key             text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash    text NOT NULL,
    -- NULL while the first request is still being answered.
    response_status integer,
    response_body   jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
