-- Image jobs as RunPod reports them: its timings for the progress display, when we last asked,
-- and the job's charge found by reference (one charge, at most one refund per job).

ALTER TABLE generation_jobs
    ADD COLUMN queue_ms     integer CHECK (queue_ms >= 0),
    ADD COLUMN execution_ms integer CHECK (execution_ms >= 0),
    -- When RunPod's /status was last read for this job (a poll asks at most every few seconds).
    ADD COLUMN checked_at   timestamptz;

-- A job's number in its asset's history once it succeeded (NULL before).
ALTER TABLE generation_jobs ADD COLUMN version integer CHECK (version >= 1);

-- One charge per image job, whoever writes it.
CREATE UNIQUE INDEX credit_ledger_one_image_charge
    ON credit_ledger (ref_id) WHERE ref_type = 'image_job' AND delta < 0;

-- One job at a time per asset: a second generate or regenerate waits for the first to end.
CREATE UNIQUE INDEX generation_jobs_one_open_per_asset
    ON generation_jobs (asset_id) WHERE status IN ('queued', 'running');
