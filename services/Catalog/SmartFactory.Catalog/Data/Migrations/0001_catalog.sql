-- The published catalog (公布名单): a read model fed only by the registry's change feed, public fields only. Every
-- table here can be rebuilt by replaying the feed from sequence 0.
create extension if not exists pg_trgm;

-- Where the projection stands in the registry's feed: one row, written in the transaction that applies the changes.
create table feed_position (
    id int primary key check (id = 1),
    applied_sequence bigint not null,
    head_sequence bigint not null,
    applied_at timestamptz
);
insert into feed_position (id, applied_sequence, head_sequence) values (1, 0, 0);

-- What the entries are made from: the public fields of the registry's enterprises, factories, rounds and applications.
create table enterprises (
    id uuid primary key,
    name text not null,
    former_names text[] not null default '{}'
);

create table factories (
    id uuid primary key,
    enterprise_id uuid not null,
    name text not null,
    region_code text not null,
    industry_code text not null,
    former_names text[] not null default '{}'
);

create table campaigns (
    id uuid primary key,
    level int not null,
    year int not null,
    region_code text not null
);

create table applications (
    id uuid primary key,
    campaign_id uuid not null,
    factory_id uuid not null
);

-- One entry per recognition published (took effect or selected): never deleted, ended ones are tombstones.
create table entries (
    id uuid primary key,
    application_id uuid not null unique,
    factory_id uuid not null,
    enterprise_id uuid not null,
    enterprise_name text not null,
    factory_name text not null,
    former_names text[] not null,
    region_code text not null,
    region_name text not null,
    city_code text not null,
    city_name text not null,
    industry_code text not null,
    industry_name text not null,
    level int not null,
    year int not null,
    authority_code text not null,
    authority_name text not null,
    status text not null,
    effective_on date,
    expires_on date,
    cultivation_ends_on date,
    ended_on date,
    end_reason text not null,
    published_on date not null,
    -- Lower-cased names, former names, region and industry: what a query matches, through the trigram index.
    search_text text not null
);
create index entries_search on entries using gin (search_text gin_trgm_ops);
create index entries_factory on entries (factory_id);
create index entries_enterprise on entries (enterprise_id);
create index entries_name on entries ((factory_name collate "zh-x-icu"), id);
create index entries_date on entries (published_on desc, id desc);

-- The lists as announced; membership is fixed at publication (by application), each entry shows its current status.
create table lists (
    id uuid primary key,
    name text not null,
    level int not null,
    year int not null,
    authority_code text not null,
    authority_name text not null,
    published_on date not null,
    batch int not null,
    document_number text not null default '',
    unique (authority_code, level, year, batch)
);
create index lists_published on lists (published_on desc, id desc);

create table list_members (
    list_id uuid not null references lists (id),
    position int not null,
    application_id uuid not null,
    primary key (list_id, position),
    unique (list_id, application_id)
);
create index list_members_application on list_members (application_id);
