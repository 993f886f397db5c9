-- The guiding questions (Leitfragen): one of our units answers the brief's questions about one
-- partner (an account), dated. Each time is a new answer set; none is ever changed, so a unit
-- sees its trend. `questionnaire` is the brief's first set (about a customer or neighbouring
-- department) or its second (about a supplier). Each answer keeps what the data suggested that
-- day and the evidence behind it (JSON, see counterpart_core::guiding::Evidence).
CREATE TABLE guiding_answer_sets (
    id {{id}},
    questionnaire TEXT NOT NULL CHECK (questionnaire IN ('partner', 'supplier')),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    answered_on TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX guiding_answer_sets_account ON guiding_answer_sets (account_id, questionnaire, answered_on);
CREATE INDEX guiding_answer_sets_unit ON guiding_answer_sets (unit_id, questionnaire, answered_on);
CREATE TABLE guiding_answers (
    set_id BIGINT NOT NULL REFERENCES guiding_answer_sets (id),
    question TEXT NOT NULL CHECK (question IN ('counterpart', 'hierarchy', 'responsible', 'exchange', 'direct_contact', 'understood', 'advocacy', 'advantage')),
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'partly', 'no')),
    suggested TEXT CHECK (suggested IN ('yes', 'partly', 'no')),
    evidence TEXT NOT NULL,
    comment TEXT,
    PRIMARY KEY (set_id, question)
);
