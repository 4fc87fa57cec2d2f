create table widgets (id int primary key, name text not null);
