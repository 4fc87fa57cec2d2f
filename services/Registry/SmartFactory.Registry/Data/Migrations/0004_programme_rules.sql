-- Programme rules of 003/004: industrial enterprises of GB/T 4754 sections B, C and D; rounds run by their recognizer
-- (cities their basic rounds inside the province's yearly window) with a deadline only the province extends; the
-- reviewers' verification of declared requirements; MIIT's decisions and plaques.

alter table industries add column section text not null default 'C';
insert into industries (code, name, section) values
    ('06', '煤炭开采和洗选业', 'B'),
    ('07', '石油和天然气开采业', 'B'),
    ('08', '黑色金属矿采选业', 'B'),
    ('09', '有色金属矿采选业', 'B'),
    ('10', '非金属矿采选业', 'B'),
    ('11', '开采专业及辅助性活动', 'B'),
    ('12', '其他采矿业', 'B'),
    ('44', '电力、热力生产和供应业', 'D'),
    ('45', '燃气生产和供应业', 'D'),
    ('46', '水的生产和供应业', 'D');

create table round_windows (
    year int primary key,
    opens_on date not null,
    complete_by date not null,
    set_by text not null,
    set_at timestamptz not null
);

alter table campaigns drop constraint campaigns_one_per_level_and_year;
alter table campaigns
    add column region_code text not null default '420000',
    add column catalog_edition text not null default '2024',
    add column status text not null default 'Open',
    add column extended_to date,
    add column extension_reason text not null default '',
    add column closed_on date,
    add column version bigint not null default 1;
update campaigns set region_code = '000000' where level in ('Excellent', 'Leading');
update campaigns set catalog_edition = '2025' where submission_opens_on >= date '2026-01-08';
-- One round per level, year and authority: each city its own basic round.
alter table campaigns add constraint campaigns_one_per_authority unique (level, year, region_code);

alter table applications add column verifications jsonb not null default '[]';

create table national_decisions (
    id uuid primary key,
    level text not null,
    campaign_id uuid not null references campaigns (id),
    document_number text not null unique,
    decided_on date not null,
    list_name text not null,
    application_ids jsonb not null,
    cultivation_ends_on date,
    source text not null,
    recorded_by text not null,
    recorded_at timestamptz not null
);

alter table recognitions
    add column national_decision text,
    add column plaque_awarded_on date;
update recognitions set renewal = '' where renewal = 'failed';
