-- Reference data: GB/T 2260 regions of this platform's province, GB/T 4754-2017 manufacturing divisions.
create table regions (
    code text primary key check (code ~ '^[0-9]{6}$'),
    name text not null,
    parent_code text references regions (code)
);

create table industries (
    code text primary key check (code ~ '^[0-9]{2}$'),
    name text not null
);

create table enterprises (
    id uuid primary key,
    credit_code text not null,
    name text not null,
    region_code text not null references regions (code),
    industry_code text not null references industries (code),
    size text not null,
    nature text not null,
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    constraint enterprises_credit_code_unique unique (credit_code)
);
create index enterprises_region on enterprises (region_code text_pattern_ops);

create table factories (
    id uuid primary key,
    enterprise_id uuid not null references enterprises (id),
    name text not null,
    address text not null,
    region_code text not null references regions (code),
    industry_code text not null references industries (code),
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    constraint factories_enterprise_name_unique unique (enterprise_id, name)
);
create index factories_region on factories (region_code text_pattern_ops);
