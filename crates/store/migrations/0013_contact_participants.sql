-- Who else was there when a contact happened: people of both sides besides the partner person
-- it is logged with and the person of ours who logged it.
CREATE TABLE interaction_people (
    interaction_id BIGINT NOT NULL REFERENCES interactions (id),
    person_id BIGINT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (interaction_id, person_id)
);
CREATE INDEX interaction_people_person ON interaction_people (person_id);
