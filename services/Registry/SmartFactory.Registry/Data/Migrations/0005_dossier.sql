-- The applications' dossiers (申报材料): files in the shared evidence store's shape, owned by the application, with
-- what each file is beside it; and one narrative per scenario. None of it enters the change feed: trade secrets
-- (003 第二十二条) stay in the registry, read by the enterprise and the reviewing authorities only.
create table dossier_evidence (
    id uuid primary key,
    application_id uuid not null references applications (id),
    file_name text not null,
    content_type text not null,
    size bigint not null,
    sha256 text not null,
    content bytea not null
);
create index dossier_evidence_application on dossier_evidence (application_id);

create table dossier_files (
    id uuid primary key references dossier_evidence (id) on delete cascade,
    application_id uuid not null references applications (id),
    kind text not null,
    subject text not null,
    uploaded_by_role text not null,
    uploaded_at timestamptz not null
);
create index dossier_files_application on dossier_files (application_id);
-- The dossier, the commitment letter and the two lists are one file each: a second one replaces the first.
create unique index dossier_files_single on dossier_files (application_id, kind)
    where kind in ('Dossier', 'CommitmentLetter', 'EquipmentList', 'SoftwareList');

create table dossier_narratives (
    application_id uuid not null references applications (id),
    scenario_id text not null,
    current_state text not null,
    pain_points text not null,
    solution text not null,
    equipment_and_software text not null,
    suppliers text not null,
    results text not null,
    updated_at timestamptz not null,
    primary key (application_id, scenario_id)
);
