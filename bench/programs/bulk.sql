-- sqlite3 bench: bulk insert of 200k rows in one transaction, an index, then aggregate and join queries.
create table t(id integer primary key, k integer, s text);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 200000)
insert into t select x, (x * 7919) % 100003, printf('%08x-%d', (x * 2654435761) % 4294967296, x % 977) from c;
create index t_k on t(k);
select count(*), sum(k), min(s), max(s) from t;
select k % 100 as g, count(*), avg(id) from t group by g order by count(*) desc, g limit 5;
select count(*), sum(a.id) from t a join t b on a.k = b.id where b.k < 50000;
select sum(length(s)) from t where s like '%77%';
