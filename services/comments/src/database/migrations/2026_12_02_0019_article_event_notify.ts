import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Every stored article event wakes the live relays of every comments node (PostgreSQL NOTIFY on
 * `parley_article_events`, sent when the writing transaction commits, never before and never for
 * a rolled-back write). A trigger rather than a call in each write, so no write path can forget
 * it, the single-statement post included (ADR 0012). The payload names the room, not the row:
 * relays read the events themselves from the log (ADR 0014).
 */
export const articleEventNotify: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      create function comments.notify_article_event() returns trigger language plpgsql as $$
      declare
        found comments.articles%rowtype;
      begin
        select * into found from comments.articles where id = new.article_id;
        if found.id is not null then
          perform pg_notify('parley_article_events', json_build_object('site', found.site_id, 'article', found.key, 'seq', new.seq)::text);
        end if;
        return null;
      end $$`.execute(db);
    await sql`
      create trigger article_events_notify after insert on comments.article_events
      for each row execute function comments.notify_article_event()`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop trigger if exists article_events_notify on comments.article_events`.execute(db);
    await sql`drop function if exists comments.notify_article_event()`.execute(db);
  },
};
