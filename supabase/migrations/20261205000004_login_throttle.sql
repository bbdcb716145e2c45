-- Sign-in throttling moved out of the users table: it is kept per email and client (in Redis, or in
-- process), decided before a password is checked. The per-account lock anyone could trigger is gone.
alter table users drop column if exists failed_logins;
alter table users drop column if exists locked_until;
