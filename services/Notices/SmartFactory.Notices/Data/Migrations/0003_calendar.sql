-- The working-day calendar, a year per State Council notice: uploaded by the province, or seeded once from the files
-- the release ships (a year already here is never overwritten by a file). Each write takes the next revision, which
-- every replica compares to its cached copy before counting a period.
create sequence calendar_revision;
create table calendar_years (
    year int primary key,
    source_title text not null,
    document_number text not null,
    published_on date not null,
    source_url text,
    holidays jsonb not null,
    adjusted_workdays jsonb not null,
    origin text not null,
    uploaded_by text,
    uploaded_by_name text,
    stored_at timestamptz not null,
    version bigint not null,
    revision bigint not null default nextval('calendar_revision')
);

-- A notice whose period the calendar did not reach when drafted: its end was stated by the publishing authority.
alter table notices add column end_stated_by_publisher boolean not null default false;
