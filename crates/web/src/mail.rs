//! The weekly unit digest by e-mail: every active user linked to a person of our house with a
//! unit and an e-mail address gets their unit's digest of the last seven days, once a week,
//! when SMTP is configured (`--smtp-url`, `--mail-from`). Each user's week is claimed in the
//! database before the mail is built, so that of several instances exactly one sends it; a
//! quiet week sends nothing. The server calls [`send_weekly_digests`] every hour.

use askama::Template;
use chrono::Datelike;
use counterpart_app::Principal;
use counterpart_app::digest::Digest;
use counterpart_store::jobs::OutsideJob;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::AppState;
use crate::ctx::Ctx;
use crate::i18n::Texts;
use crate::pages::digest::Sections;

/// Why the weekly mails could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Reading the digests failed.
    #[error(transparent)]
    App(#[from] counterpart_app::Error),
    /// The SMTP server or an address was refused.
    #[error("smtp: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// A message could not be built.
    #[error("message: {0}")]
    Message(String),
}

impl MailError {
    /// What went wrong, without the details (a mail server's answer may quote an address,
    /// and addresses are personal data that logs must not hold).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::App(_) => "reading what to send failed",
            Self::Smtp(e) if e.is_permanent() => "the mail server refused permanently",
            Self::Smtp(e) if e.is_transient() => "the mail server refused for now",
            Self::Smtp(_) => "the mail server could not be reached",
            Self::Message(_) => "a message could not be built",
        }
    }
}

#[derive(Template)]
#[template(path = "digest/mail.txt", escape = "none")]
struct MailText<'a> {
    t: &'static Texts,
    digest: &'a Digest,
    sections: Sections,
    since: String,
    link: String,
}

/// Sends this week's digests that no instance has sent yet, as a job of the queue (one
/// instance at a time does it; one that fails is tried again later); returns how many were
/// sent. `worker` names this process in the job's lease. Without SMTP configured it sends
/// nothing.
pub async fn send_weekly_digests(state: &AppState, worker: &str) -> Result<usize, MailError> {
    let Some(smtp) = state.settings().smtp.as_ref() else {
        return Ok(0);
    };
    let store = state.app.store();
    let week = state.app.today().iso_week();
    let week = format!("{}-W{:02}", week.year(), week.week());
    let queue = |e: counterpart_store::StoreError| MailError::App(e.into());
    store
        .enqueue_outside(OutsideJob::WeeklyDigests, &week)
        .await
        .map_err(queue)?;
    // Another instance holds it, or it waits after a failure: nothing to do here now.
    let Some(lease) = store
        .lease_outside(worker, OutsideJob::WeeklyDigests)
        .await
        .map_err(queue)?
    else {
        return Ok(0);
    };
    match send_week(state, smtp, &lease.key).await {
        Ok(sent) => {
            store.finish_outside(&lease).await.map_err(queue)?;
            Ok(sent)
        }
        Err(e) => {
            store
                .give_back_outside(&lease, e.kind())
                .await
                .map_err(queue)?;
            Err(e)
        }
    }
}

/// Sends the digests of `week` (ISO, as 2026-W49) that no instance has sent yet.
async fn send_week(
    state: &AppState,
    smtp: &counterpart_app::Smtp,
    week: &str,
) -> Result<usize, MailError> {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp.url.as_str())?.build();
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Message(e.to_string()))?;
    let base = state.public_base();
    let mut sent = 0;
    for (user, address, unit) in state
        .app
        .store()
        .digest_recipients()
        .await
        .map_err(counterpart_app::Error::from)?
    {
        let Ok(to) = address.parse::<Mailbox>() else {
            continue;
        };
        // Claimed first: each user is looked at once a week, by one instance; a mail that
        // then fails to send is not retried (at most once).
        if !state
            .app
            .store()
            .claim_digest_mail(week, user.id)
            .await
            .map_err(counterpart_app::Error::from)?
        {
            continue;
        }
        let digest = state
            .app
            .unit_digest(&Principal::of(&user), unit, None)
            .await?;
        if digest.is_quiet() {
            continue;
        }
        let ctx = Ctx::for_feed(
            state,
            user.language
                .unwrap_or(counterpart_core::user::Language::De),
        );
        let t = ctx.t();
        let text = MailText {
            t,
            sections: Sections::of(&ctx, &digest),
            since: ctx.date(&digest.since),
            link: format!("{base}/units/{unit}/digest"),
            digest: &digest,
        }
        .render()
        .map_err(|e| MailError::Message(e.to_string()))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(format!("{}: {}", t.digest_title, digest.unit.name))
            .header(ContentType::TEXT_PLAIN)
            .body(text)
            .map_err(|e| MailError::Message(e.to_string()))?;
        transport.send(message).await?;
        sent += 1;
    }
    if sent > 0 {
        tracing::info!(mails.sent = sent, "weekly digests sent");
    }
    Ok(sent)
}

/// Sends the jour-fixe invitations the job queue holds (a series or a meeting changed since
/// its last mail), each as it stands now: a text with the `.ics` attached (METHOD:REQUEST, or
/// CANCEL), to every participant with an e-mail address. One instance at a time sends each;
/// one that fails is tried again later. Without SMTP configured it sends nothing (the jobs
/// wait, one per series or meeting). Returns how many mails went out.
pub async fn send_invitations(state: &AppState, worker: &str) -> Result<usize, MailError> {
    let Some(smtp) = state.settings().smtp.as_ref() else {
        return Ok(0);
    };
    let store = state.app.store();
    let queue = |e: counterpart_store::StoreError| MailError::App(e.into());
    let mut sent = 0;
    // Bounded: a burst of changes is sent over the next rounds.
    for _ in 0..50 {
        let Some(lease) = store
            .lease_outside(worker, OutsideJob::Invitations)
            .await
            .map_err(queue)?
        else {
            break;
        };
        match send_invitation(state, smtp, &lease.key).await {
            Ok(n) => {
                store.finish_outside(&lease).await.map_err(queue)?;
                sent += n;
            }
            Err(e) => {
                store
                    .give_back_outside(&lease, e.kind())
                    .await
                    .map_err(queue)?;
                return Err(e);
            }
        }
    }
    if sent > 0 {
        tracing::info!(mails.sent = sent, "jour fixe invitations sent");
    }
    Ok(sent)
}

async fn send_invitation(
    state: &AppState,
    smtp: &counterpart_app::Smtp,
    key: &str,
) -> Result<usize, MailError> {
    use lettre::message::{Attachment, MultiPart, SinglePart};
    let base = state.public_base();
    let Some(mail) = state.app.invitation_mail(key, &base).await? else {
        return Ok(0);
    };
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp.url.as_str())?.build();
    let from: Mailbox = smtp
        .from
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Message(e.to_string()))?;
    let (subject, text, method) = if mail.cancel {
        (
            format!("Abgesagt / Cancelled: {}", mail.series_name),
            "Der Jour fixe ist abgesagt. / The jour fixe is cancelled.",
            "CANCEL",
        )
    } else {
        (
            format!("Einladung / Invitation: {}", mail.series_name),
            "Einladung zum Kunden-Jour-fixe – bitte in den Kalender übernehmen.\n\
             Invitation to the customer jour fixe – please add it to your calendar.",
            "REQUEST",
        )
    };
    let calendar_type =
        ContentType::parse(&format!("text/calendar; method={method}; charset=utf-8"))
            .map_err(|e| MailError::Message(e.to_string()))?;
    let mut sent = 0;
    for (name, address) in &mail.recipients {
        let Ok(to) = format!("{name} <{address}>").parse::<Mailbox>() else {
            continue;
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(&subject)
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(text.to_owned()))
                    .singlepart(
                        Attachment::new("jour-fixe.ics".to_owned())
                            .body(mail.calendar.clone(), calendar_type.clone()),
                    ),
            )
            .map_err(|e| MailError::Message(e.to_string()))?;
        transport.send(message).await?;
        sent += 1;
    }
    Ok(sent)
}
