//! E-mail as a notification channel: plain-text messages by SMTP (lettre), to the address a
//! person gave in their notification preferences. STARTTLS and a login when the operator's
//! mail server asks for them.

use std::time::Duration;

use aduan_core::notify::{NotificationChannel, NotificationText};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

use super::notifications::{Channel, SendError};
use crate::error::ApiError;
use crate::storage::{notifications, Sql};

/// Where the server sends e-mail from (flags, environment or the `[smtp]` table of the config
/// file).
#[derive(Debug, Clone, Default, clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpArgs {
    /// The SMTP server officers' notification e-mails go through; without it none are sent
    /// (they wait in the outbox).
    #[arg(long = "smtp-host", env = "ADUAN_SMTP_HOST", global = true)]
    pub host: Option<String>,
    /// Its port (default 587 with STARTTLS, else 25).
    #[arg(long = "smtp-port", env = "ADUAN_SMTP_PORT", global = true)]
    pub port: Option<u16>,
    /// The sender's address, e.g. "Aduan <aduan@example.go.id>".
    #[arg(long = "smtp-from", env = "ADUAN_SMTP_FROM", global = true)]
    pub from: Option<String>,
    #[arg(long = "smtp-username", env = "ADUAN_SMTP_USERNAME", global = true)]
    pub username: Option<String>,
    #[arg(
        long = "smtp-password",
        env = "ADUAN_SMTP_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub password: Option<String>,
    /// Upgrade the connection with STARTTLS (required, not optional, when set).
    #[arg(long = "smtp-starttls", env = "ADUAN_SMTP_STARTTLS", global = true)]
    pub starttls: Option<bool>,
}

impl SmtpArgs {
    /// Flags over the file's table.
    pub fn or(self, file: &SmtpArgs) -> SmtpArgs {
        SmtpArgs {
            host: self.host.or(file.host.clone()),
            port: self.port.or(file.port),
            from: self.from.or(file.from.clone()),
            username: self.username.or(file.username.clone()),
            password: self.password.or(file.password.clone()),
            starttls: self.starttls.or(file.starttls),
        }
    }
}

pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
}

impl Mailer {
    /// The mailer `args` describe, `None` without a host; an error names what is wrong.
    pub fn from_args(args: &SmtpArgs) -> Result<Option<Mailer>, String> {
        let Some(host) = args.host.as_deref() else {
            return Ok(None);
        };
        let from: Mailbox = args
            .from
            .as_deref()
            .ok_or("smtp: a sender address (smtp_from) is needed")?
            .parse()
            .map_err(|e| format!("smtp: the sender address: {e}"))?;
        let starttls = args.starttls.unwrap_or(false);
        let mut builder = if starttls {
            SmtpTransport::starttls_relay(host).map_err(|e| format!("smtp: {e}"))?
        } else {
            SmtpTransport::builder_dangerous(host)
        };
        builder = builder
            .port(args.port.unwrap_or(if starttls { 587 } else { 25 }))
            .timeout(Some(Duration::from_secs(20)));
        match (&args.username, &args.password) {
            (Some(u), Some(p)) => {
                builder = builder.credentials(Credentials::new(u.clone(), p.clone()))
            }
            (None, None) => {}
            _ => return Err("smtp: a login needs both a username and a password".into()),
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
        }))
    }
}

impl Channel for Mailer {
    fn channel(&self) -> NotificationChannel {
        NotificationChannel::Email
    }

    fn address(&self, sql: &mut dyn Sql, account: &str) -> Result<Option<String>, ApiError> {
        let (_, email) = notifications::settings(sql, account)?;
        Ok((!email.is_empty()).then_some(email))
    }

    fn send(&self, to: &str, text: &NotificationText) -> Result<(), SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| SendError::Permanent("bad_address"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(text.title.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(text.body.clone())
            .map_err(|_| SendError::Permanent("bad_message"))?;
        match self.transport.send(&message) {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent("refused")),
            Err(_) => Err(SendError::Transient("unreachable")),
        }
    }
}
