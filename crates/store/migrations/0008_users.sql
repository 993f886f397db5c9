-- Users become a first-class link to the people of our own house: an e-mail address (stored
-- lowercase) by which many users are linked to their person at once, and at most one user per
-- person and per address. NULLs are distinct in both engines' unique indexes, so users without
-- an address or a person do not collide.
ALTER TABLE users ADD COLUMN email TEXT;
CREATE UNIQUE INDEX users_email ON users (email);
CREATE UNIQUE INDEX users_person ON users (person_id);
