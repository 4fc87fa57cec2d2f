-- Campaigns, applications, recognitions, the commands already applied, and the numbered change feed.
create table campaigns (
    id uuid primary key,
    level text not null,
    year int not null,
    submission_opens_on date not null,
    submission_closes_on date not null,
    decision_due_on date not null,
    quotas jsonb not null,
    created_at timestamptz not null,
    constraint campaigns_one_per_level_and_year unique (level, year)
);

create table applications (
    id uuid primary key,
    campaign_id uuid not null references campaigns (id),
    factory_id uuid not null references factories (id),
    enterprise_id uuid not null references enterprises (id),
    level text not null,
    status text not null,
    form jsonb not null,
    warnings jsonb not null,
    history jsonb not null,
    recommended_by text,
    recognition_id uuid,
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
-- A second open application for the same factory and level is refused; the index makes it so under concurrency too.
create unique index applications_one_open on applications (factory_id, level)
    where status in ('Draft', 'Submitted', 'Returned', 'Recommended');
create index applications_campaign on applications (campaign_id, recommended_by);

create table recognitions (
    id uuid primary key,
    factory_id uuid not null references factories (id),
    enterprise_id uuid not null references enterprises (id),
    level text not null,
    year int not null,
    application_id uuid not null unique references applications (id),
    status text not null,
    effective_on date,
    expires_on date,
    cultivation_ends_on date,
    renewal text not null,
    acceptance text not null,
    ended_on date,
    end_reason text,
    ban_until date,
    history jsonb not null,
    version bigint not null,
    updated_at timestamptz not null
);
-- One current level per factory.
create unique index recognitions_one_active on recognitions (factory_id) where status = 'Active';
create index recognitions_live on recognitions (status) where status in ('Active', 'Cultivating', 'PendingPublicity');
create index recognitions_ban on recognitions (enterprise_id, ban_until) where ban_until is not null;

-- Commands from other services (e.g. notice closed -> take effect) are applied once, by the sender's request id.
create table processed_commands (
    request_id text primary key,
    command text not null,
    entity_id uuid not null,
    at timestamptz not null
);

-- Every change, numbered. Writers take a transaction lock before appending, so sequences commit in order and a
-- reader that has seen N never later finds an N-1 it skipped.
create table changes (
    sequence bigserial primary key,
    at timestamptz not null,
    entity_type text not null,
    entity_id uuid not null,
    kind text not null,
    payload jsonb not null
);
