//! `counterpart serve`: run the web server until SIGINT or SIGTERM.

use counterpart_app::{App, Config};
use counterpart_core::user::{Role, UserInput, Username};
use counterpart_store::{Actor, NewUser, Store, random_token};
use counterpart_web::{AppState, WebConfig};
use tokio::net::TcpListener;

use super::{CliError, ServeArgs, open};

pub(super) async fn run(url: &str, args: &ServeArgs) -> Result<(), CliError> {
    // Settings are checked before the database is opened (or created).
    let config = args.config()?;
    let store = open(url).await?;
    if store.users().await?.is_empty() {
        create_first_admin(&store).await?;
    }
    serve(store, args, config).await
}

/// On a database without users: one admin with a random password, printed once.
async fn create_first_admin(store: &Store) -> Result<(), CliError> {
    let password = random_token()[..20].to_owned();
    let username = Username::parse("admin").map_err(|_| CliError::Usage("admin".into()))?;
    store
        .create_user(
            &Actor::system(),
            &NewUser {
                username,
                details: UserInput {
                    display_name: "Administrator".to_owned(),
                    email: None,
                    role: Role::Admin,
                    person_id: None,
                },
                password: password.clone(),
            },
        )
        .await?;
    println!("Created the first administrator. Note the password now; it is shown only once:");
    println!("    username: admin");
    println!("    password: {password}");
    println!("Change it with: counterpart user passwd admin --password-stdin");
    Ok(())
}

/// Serves until a shutdown signal, then lets running requests finish.
pub(super) async fn serve(store: Store, args: &ServeArgs, config: Config) -> Result<(), CliError> {
    let listener = TcpListener::bind(args.bind)
        .await
        .map_err(|e| CliError::Usage(format!("cannot listen on {}: {e}", args.bind)))?;
    let address = listener.local_addr()?;
    let app = App::new(store.clone(), config);
    let state = AppState::new(
        app.clone(),
        WebConfig {
            secure_cookies: args.secure_cookies,
            api_rate_limit: args.api_rate_limit,
            ..WebConfig::default()
        },
    );
    if args.api_rate_limit != counterpart_web::DEFAULT_API_RATE_LIMIT {
        tracing::warn!(
            api.rate_limit = args.api_rate_limit,
            api.default_rate_limit = counterpart_web::DEFAULT_API_RATE_LIMIT,
            "the API's rate limit per token is not the default"
        );
    }
    println!("Counterpart is running at http://{address} (stop with Ctrl+C).");
    tracing::info!(server.address = %address, "listening");
    // Derived work (scores) after the commits of this and other instances.
    let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = {
        let name = format!("{}:{}", hostname(), std::process::id());
        tokio::spawn(async move {
            app.work_jobs(name, async {
                let _ = worker_stopped.await;
            })
            .await;
        })
    };
    // The weekly digest mails: a job of the queue, looked at every hour and done by one
    // instance at a time; each user's week is claimed in the database before their mail, so
    // that nobody gets two.
    let mailer = {
        let state = state.clone();
        let name = format!("{}:{}", hostname(), std::process::id());
        tokio::spawn(async move {
            let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                hourly.tick().await;
                if let Err(e) = counterpart_web::send_weekly_digests(&state, &name).await {
                    // The kind only: a mail server's answer may quote an address.
                    tracing::warn!(error.kind = e.kind(), "weekly digests not sent");
                }
            }
        })
    };
    // The jour-fixe invitations: a change's mails go out within half a minute, by one
    // instance each.
    let inviter = {
        let state = state.clone();
        let name = format!("{}:{}", hostname(), std::process::id());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(30));
            loop {
                every.tick().await;
                if let Err(e) = counterpart_web::send_invitations(&state, &name).await {
                    tracing::warn!(error.kind = e.kind(), "jour fixe invitations not sent");
                }
            }
        })
    };
    counterpart_web::serve(listener, state, shutdown_signal()).await?;
    inviter.abort();
    mailer.abort();
    let _ = stop_worker.send(());
    let _ = worker.await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// This machine's name, for the job leases (which instance holds a job).
fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "counterpart".to_owned())
}

/// Completes on SIGINT (Ctrl+C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
