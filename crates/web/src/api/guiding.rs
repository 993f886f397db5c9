//! The guiding questions (Leitfragen) through the API: what the data suggest for each question
//! about an account, the answer sets given so far, and a unit's new answer set — through the
//! use cases the guiding pages call, so the same visibility (a restricted account is not
//! found), the same rules (the supplier questionnaire is for suppliers only) and the same audit
//! row apply.
//!
//! An answer set is never changed: a unit answers again on a later day, and the sets over time
//! are its trend. It therefore has no version; the questionnaire's resource is tagged by what
//! it holds.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use counterpart_app::guiding::GuidingForm;
use counterpart_core::guiding::{Answer, AnswerSet, Question, Questionnaire};
use counterpart_core::ids::AccountId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::resources::{parse_id, tagged};
use super::write::{JsonBody, created_at};
use super::{Bearer, InvalidParam, Problem, Writer};
use crate::AppState;

/// Which set of guiding questions.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = Questionnaire)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiQuestionnaire {
    /// About a customer or a neighbouring department: counterpart, hierarchy, responsible,
    /// exchange.
    Partner,
    /// About a supplier, how it manages us: direct_contact, understood, advocacy, advantage.
    Supplier,
}

impl From<ApiQuestionnaire> for Questionnaire {
    fn from(q: ApiQuestionnaire) -> Self {
        match q {
            ApiQuestionnaire::Partner => Self::Partner,
            ApiQuestionnaire::Supplier => Self::Supplier,
        }
    }
}

impl From<Questionnaire> for ApiQuestionnaire {
    fn from(q: Questionnaire) -> Self {
        match q {
            Questionnaire::Partner => Self::Partner,
            Questionnaire::Supplier => Self::Supplier,
        }
    }
}

/// One guiding question.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = Question)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiQuestion {
    /// Partner: is there a key account manager or counterpart for the partner?
    Counterpart,
    /// Partner: is responsibility organised boss to boss, staff to staff?
    Hierarchy,
    /// Partner: does someone feel responsible for the partner?
    Responsible,
    /// Partner: do our people who have contact exchange what they know?
    Exchange,
    /// Supplier: does the supplier give us a direct contact?
    DirectContact,
    /// Supplier: do we feel understood by the supplier?
    Understood,
    /// Supplier: does the supplier stand up for us in its company?
    Advocacy,
    /// Supplier: does the supplier offer us a tangible advantage?
    Advantage,
}

impl From<ApiQuestion> for Question {
    fn from(q: ApiQuestion) -> Self {
        match q {
            ApiQuestion::Counterpart => Self::Counterpart,
            ApiQuestion::Hierarchy => Self::Hierarchy,
            ApiQuestion::Responsible => Self::Responsible,
            ApiQuestion::Exchange => Self::Exchange,
            ApiQuestion::DirectContact => Self::DirectContact,
            ApiQuestion::Understood => Self::Understood,
            ApiQuestion::Advocacy => Self::Advocacy,
            ApiQuestion::Advantage => Self::Advantage,
        }
    }
}

impl From<Question> for ApiQuestion {
    fn from(q: Question) -> Self {
        match q {
            Question::Counterpart => Self::Counterpart,
            Question::Hierarchy => Self::Hierarchy,
            Question::Responsible => Self::Responsible,
            Question::Exchange => Self::Exchange,
            Question::DirectContact => Self::DirectContact,
            Question::Understood => Self::Understood,
            Question::Advocacy => Self::Advocacy,
            Question::Advantage => Self::Advantage,
        }
    }
}

/// An answer; `yes` is always what the brief hopes for.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = Answer)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiAnswer {
    /// Yes (2 points toward the score).
    Yes,
    /// Partly (1 point).
    Partly,
    /// No (0 points).
    No,
}

impl From<ApiAnswer> for Answer {
    fn from(a: ApiAnswer) -> Self {
        match a {
            ApiAnswer::Yes => Self::Yes,
            ApiAnswer::Partly => Self::Partly,
            ApiAnswer::No => Self::No,
        }
    }
}

impl From<Answer> for ApiAnswer {
    fn from(a: Answer) -> Self {
        match a {
            Answer::Yes => Self::Yes,
            Answer::Partly => Self::Partly,
            Answer::No => Self::No,
        }
    }
}

/// A question with what the data suggest today.
#[derive(Serialize, ToSchema)]
#[schema(as = GuidingQuestion)]
pub(crate) struct ApiPreAnswer {
    /// The question.
    question: ApiQuestion,
    /// What the data suggest; null where they cannot tell (a supplier's advantage, say).
    suggested: Option<ApiAnswer>,
}

/// One answer of a set.
#[derive(Serialize, ToSchema)]
#[schema(as = GivenAnswer)]
pub(crate) struct ApiGivenAnswer {
    /// The question.
    question: ApiQuestion,
    /// The answer given.
    answer: ApiAnswer,
    /// What the data suggested that day, if they could tell.
    suggested: Option<ApiAnswer>,
    /// Why, or how.
    comment: Option<String>,
}

/// One unit's answers about one account on one day.
#[derive(Serialize, ToSchema)]
#[schema(as = AnswerSet)]
pub(crate) struct ApiAnswerSet {
    /// Its id.
    id: i64,
    /// Which questionnaire.
    questionnaire: ApiQuestionnaire,
    /// The account it is about.
    account_id: i64,
    /// The unit of ours that answered.
    unit_id: i64,
    /// The unit's name, as it is now.
    unit_name: Option<String>,
    /// The day it was answered, `YYYY-MM-DD`.
    answered_on: String,
    /// Who entered it, by the name they had then.
    author_name: String,
    /// 0–100: the share of the best possible answers (yes 2, partly 1, no 0 points each).
    score: i64,
    /// The answers, in the questionnaire's order.
    answers: Vec<ApiGivenAnswer>,
}

impl ApiAnswerSet {
    fn of(set: AnswerSet, unit_names: &HashMap<counterpart_core::ids::UnitId, String>) -> Self {
        Self {
            id: set.id,
            questionnaire: set.questionnaire.into(),
            account_id: set.account_id.get(),
            unit_id: set.unit_id.get(),
            unit_name: unit_names.get(&set.unit_id).cloned(),
            answered_on: set.answered_on.to_string(),
            score: set.score(),
            author_name: set.author_name,
            answers: set
                .answers
                .into_iter()
                .map(|a| ApiGivenAnswer {
                    question: a.question.into(),
                    answer: a.answer.into(),
                    suggested: a.suggested.map(Into::into),
                    comment: a.comment,
                })
                .collect(),
        }
    }
}

/// A questionnaire about an account: its questions with today's suggestions and every answer
/// set so far.
#[derive(Serialize, ToSchema)]
#[schema(as = Guiding)]
pub(crate) struct ApiGuiding {
    /// The account.
    account_id: i64,
    /// Which questionnaire.
    questionnaire: ApiQuestionnaire,
    /// The questions in the brief's order, each with what the data suggest today.
    questions: Vec<ApiPreAnswer>,
    /// The unit proposed to answer: the account's responsible unit, else the token user's
    /// own unit.
    proposed_unit_id: Option<i64>,
    /// The answer sets about the account so far, every unit's, oldest first.
    answer_sets: Vec<ApiAnswerSet>,
}

/// The account and questionnaire of a path, or 400/404 naming what is wrong.
fn parse_path(id: &str, questionnaire: &str) -> Result<(AccountId, Questionnaire), Problem> {
    let id = AccountId::new(parse_id("id", id)?);
    let questionnaire = questionnaire.parse::<Questionnaire>().map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "No such questionnaire: there are `partner` and `supplier`.",
        )
    })?;
    Ok((id, questionnaire))
}

/// 409 for the supplier questionnaire about an account that is no supplier.
fn suppliers_only(error: counterpart_app::Error) -> Problem {
    match error {
        counterpart_app::Error::NotApplicable => Problem::new(
            StatusCode::CONFLICT,
            "This account is no supplier: the supplier questionnaire is answered about \
             suppliers only.",
        ),
        other => other.into(),
    }
}

/// A questionnaire about an account: each question with what the data suggest today (as the
/// form comes pre-answered), and every answer set given so far, oldest first — the trend.
#[utoipa::path(
    get,
    path = "/accounts/{id}/guiding/{questionnaire}",
    tag = "guiding",
    operation_id = "getGuiding",
    params(
        ("id" = i64, Path, minimum = 0, description = "The account's id."),
        ("questionnaire" = ApiQuestionnaire, Path, description = "`partner` or `supplier`."),
    ),
    responses(
        (status = 200, description = "The questions and the answer sets.", body = ApiGuiding, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while nothing changed."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account, or no such questionnaire.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The supplier questionnaire about an account that is no supplier.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn guiding(
    State(state): State<AppState>,
    bearer: Bearer,
    Path((id, questionnaire)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (id, questionnaire) = parse_path(&id, &questionnaire)?;
    let GuidingForm {
        pre,
        unit,
        history,
        unit_names,
        ..
    } = state
        .app
        .guiding_questions(&bearer.principal, id, questionnaire)
        .await
        .map_err(suppliers_only)?;
    tagged(
        &headers,
        &ApiGuiding {
            account_id: id.get(),
            questionnaire: questionnaire.into(),
            questions: pre
                .into_iter()
                .map(|p| ApiPreAnswer {
                    question: p.question.into(),
                    suggested: p.suggested.map(Into::into),
                })
                .collect(),
            proposed_unit_id: unit.map(|u| u.get()),
            answer_sets: history
                .into_iter()
                .map(|set| ApiAnswerSet::of(set, &unit_names))
                .collect(),
        },
    )
}

/// One answer as given.
#[derive(Deserialize, ToSchema)]
#[schema(as = AnswerInput)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerBody {
    /// The question: one of the questionnaire's.
    question: ApiQuestion,
    /// Yes, partly or no.
    answer: ApiAnswer,
    /// Why, or how: up to 1,000 characters (line breaks allowed).
    #[serde(default)]
    comment: Option<String>,
}

/// A unit's answers to every question of a questionnaire.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswerSetBody {
    /// The unit of ours that answers.
    unit_id: i64,
    /// One answer per question of the questionnaire, in any order.
    answers: Vec<AnswerBody>,
}

impl AnswerSetBody {
    /// The form the use case reads (`unit_id`, `{question}`, `{question}_comment`), or 422
    /// naming an answer to a question of the other questionnaire, a question answered twice,
    /// or one left unanswered.
    fn form(&self, questionnaire: Questionnaire) -> Result<HashMap<String, String>, Problem> {
        let mut form = HashMap::from([("unit_id".to_owned(), self.unit_id.to_string())]);
        let mut wrong = Vec::new();
        for (i, given) in self.answers.iter().enumerate() {
            let question = Question::from(given.question);
            if question.questionnaire() != questionnaire {
                wrong.push(InvalidParam {
                    name: format!("answers[{i}].question"),
                    reason: format!("is no question of the {questionnaire} questionnaire"),
                });
                continue;
            }
            if form.contains_key(question.as_str()) {
                wrong.push(InvalidParam {
                    name: format!("answers[{i}].question"),
                    reason: format!("answers {question} a second time"),
                });
                continue;
            }
            form.insert(
                question.as_str().to_owned(),
                Answer::from(given.answer).as_str().to_owned(),
            );
            form.insert(
                question.comment_field().to_owned(),
                given.comment.clone().unwrap_or_default(),
            );
        }
        for question in questionnaire.questions() {
            if !form.contains_key(question.as_str()) {
                wrong.push(InvalidParam {
                    name: "answers".to_owned(),
                    reason: format!("has no answer to {question}"),
                });
            }
        }
        if wrong.is_empty() {
            Ok(form)
        } else {
            Err(Problem::invalid(wrong))
        }
    }

    /// The body's name for a field of the use case's form: a comment is named by the answer
    /// it belongs to.
    fn field_name(&self, field: &str) -> String {
        self.answers
            .iter()
            .position(|a| Question::from(a.question).comment_field() == field)
            .map_or_else(|| field.to_owned(), |i| format!("answers[{i}].comment"))
    }
}

/// A unit of ours answers a questionnaire about an account: a new answer set, dated today,
/// keeping what the data suggested that day beside each answer. Editors and administrators.
/// The set joins the questionnaire's `answer_sets` (the `Location`); sets are never changed,
/// a unit answers again on a later day.
#[utoipa::path(
    post,
    path = "/accounts/{id}/guiding/{questionnaire}",
    tag = "guiding",
    operation_id = "answerGuiding",
    params(
        ("id" = i64, Path, minimum = 0, description = "The account's id."),
        ("questionnaire" = ApiQuestionnaire, Path, description = "`partner` or `supplier`."),
    ),
    request_body = AnswerSetBody,
    responses(
        (status = 201, description = "Recorded; the answer set as stored.", body = ApiAnswerSet, headers(("Location" = String, description = "The questionnaire's address, whose `answer_sets` now end with it."))),
        (status = 404, description = "No such account, or no such questionnaire.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The supplier questionnaire about an account that is no supplier.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn answer(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((id, questionnaire)): Path<(String, String)>,
    JsonBody(body): JsonBody<AnswerSetBody>,
) -> Result<Response, Problem> {
    let (id, questionnaire) = parse_path(&id, &questionnaire)?;
    let form = body.form(questionnaire)?;
    let who = &bearer.principal;
    let set = match state
        .app
        .answer_guiding(who, id, questionnaire, &form)
        .await
    {
        Ok(set) => set,
        Err(counterpart_app::Error::Invalid(errors)) => {
            return Err(Problem::fields(&errors, |field| body.field_name(field)));
        }
        Err(other) => return Err(suppliers_only(other)),
    };
    let unit_names = state.app.unit_names([set.unit_id].into_iter()).await?;
    let location = format!(
        "/api/v1/accounts/{}/guiding/{}",
        id.get(),
        questionnaire.as_str()
    );
    Ok(created_at(&location, &ApiAnswerSet::of(set, &unit_names)))
}
