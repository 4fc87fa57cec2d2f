-- Ranked recommendation lists (推荐汇总表) and spot checks (抽查).
create table recommendation_lists (
    id uuid primary key,
    campaign_id uuid not null references campaigns (id),
    level text not null,
    year int not null,
    recommender_region text not null,
    status text not null,
    quota int not null,
    entries jsonb not null,  -- [{applicationId, rank, reason}] in rank order
    version bigint not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    submitted_at timestamptz,
    submitted_by text,
    constraint recommendation_lists_one_per_recommender unique (campaign_id, recommender_region)
);

create table spot_check_rounds (
    id uuid primary key,
    name text not null,
    authority_role text not null,
    levels jsonb not null,
    selection text not null,
    per_city int,
    seed bigint,
    candidate_count int,
    created_by text not null,
    created_at timestamptz not null
);

create table spot_checks (
    id uuid primary key,
    round_id uuid not null references spot_check_rounds (id),
    recognition_id uuid not null references recognitions (id),
    factory_id uuid not null references factories (id),
    level text not null,
    status text not null,
    findings text not null,
    inspected_on date,
    rectification_due_on date,
    follow_up_findings text not null,
    followed_up_on date,
    removal_cause text,
    version bigint not null,
    updated_at timestamptz not null,
    constraint spot_checks_once_per_round unique (round_id, recognition_id)
);
create index spot_checks_factory on spot_checks (factory_id);
create index spot_checks_rectifying on spot_checks (rectification_due_on) where status = 'Rectifying';
