-- Publicity notices, their items (public fields only), objections with their evidence, the filings, and the outbox
-- of commands to the registry written in the same transaction as the close.
create table notices (
    id uuid primary key,
    title text not null,
    level int not null,
    authority_role text not null,
    authority_region text not null,
    status text not null,
    starts_on date not null,
    length_working_days int not null,
    ends_on date not null,
    published_at timestamptz,
    closed_at timestamptz,
    version bigint not null,
    created_at timestamptz not null
);
create index notices_public on notices (published_at desc) where status <> 'Draft';

create table notice_items (
    id uuid primary key,
    notice_id uuid not null references notices (id),
    position int not null,
    application_id uuid not null,
    enterprise_name text not null,
    factory_name text not null,
    region_code text not null,
    industry_code text not null,
    level int not null,
    outcome text,
    constraint notice_items_position unique (notice_id, position)
);
create index notice_items_application on notice_items (application_id);

create table objections (
    id uuid primary key,
    receipt_number text not null unique,
    notice_id uuid not null references notices (id),
    item_id uuid not null references notice_items (id),
    objector_name text not null,
    contact_phone text not null,
    organisation text not null,
    grounds text not null,
    status text not null,
    resolution_reason text not null,
    filed_at timestamptz not null,
    resolved_at timestamptz,
    version bigint not null,
    idempotency_key text unique
);
create index objections_notice on objections (notice_id);

create table evidence (
    id uuid primary key,
    objection_id uuid not null references objections (id),
    file_name text not null,
    content_type text not null,
    size bigint not null,
    sha256 text not null,
    content bytea not null
);

create table filings (
    id uuid primary key,
    notice_id uuid not null unique references notices (id),
    notice_title text not null,
    level int not null,
    from_region text not null,
    to_region text not null,
    items_took_effect int not null,
    items_rejected int not null,
    filed_at timestamptz not null
);

-- Commands to the registry. Written with the close, delivered by the relay until acknowledged; the registry applies
-- each once by its request id, so a delivery repeated after a lost acknowledgement changes nothing.
create table outbox (
    id uuid primary key,
    kind text not null,
    payload jsonb not null,
    created_at timestamptz not null,
    attempts int not null default 0,
    next_attempt_at timestamptz not null,
    delivered_at timestamptz,
    failed_at timestamptz,
    last_error text
);
create index outbox_due on outbox (next_attempt_at) where delivered_at is null and failed_at is null;
