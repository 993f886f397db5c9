//! One configuration for what the capabilities need, set by flag with an environment fallback
//! (the command line parses it): the public address, the time zone, mail, trusted proxies,
//! and the import limits.

use std::net::IpAddr;
use std::str::FromStr;

use counterpart_core::exchange::read::Limits;

/// Why a setting cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The configuration of one instance.
#[derive(Clone, Debug)]
pub struct Config {
    /// The address users reach Counterpart at (`https://kam.example.com/`): links in mails
    /// and feeds, and the `Origin` state-changing requests must come from.
    pub public_url: Option<url::Url>,
    /// The time zone dates and times are shown in (the audit log; later agendas and
    /// recurrences). Default Europe/Berlin.
    pub time_zone: chrono_tz::Tz,
    /// Outgoing mail, if configured.
    pub smtp: Option<Smtp>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<TrustedProxy>,
    /// How much of a file an import reads.
    pub import_limits: Limits,
    /// Administrators must have a second factor: one without is led to set it up after the
    /// login and can use no other page before.
    pub require_second_factor_for_admins: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            public_url: None,
            time_zone: chrono_tz::Europe::Berlin,
            smtp: None,
            trusted_proxies: Vec::new(),
            import_limits: Limits::default(),
            require_second_factor_for_admins: false,
        }
    }
}

impl Config {
    /// Parses a public base URL: absolute, `http` or `https`, with a host.
    pub fn parse_public_url(text: &str) -> Result<url::Url, ConfigError> {
        let url = url::Url::parse(text)
            .map_err(|e| ConfigError(format!("{text:?} is not an absolute URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(ConfigError(format!(
                "{text:?}: must be an http:// or https:// address with a host"
            )));
        }
        Ok(url)
    }

    /// Parses an IANA time zone name such as `Europe/Berlin`.
    pub fn parse_time_zone(text: &str) -> Result<chrono_tz::Tz, ConfigError> {
        text.trim().parse().map_err(|_| {
            ConfigError(format!(
                "{text:?} is not a time zone; use a name such as Europe/Berlin or UTC"
            ))
        })
    }
}

/// Outgoing mail: `smtp://user:password@host:587?tls=required` (STARTTLS), `smtps://…:465`
/// (TLS) or `smtp://host:25` (unencrypted, a local relay), and the sender address. Its `Debug`
/// leaves the password out.
#[derive(Clone, PartialEq, Eq)]
pub struct Smtp {
    /// The server URL as given.
    pub url: url::Url,
    /// The `From` address.
    pub from: String,
}

impl Smtp {
    /// Parses the server URL and the sender.
    pub fn parse(url: &str, from: &str) -> Result<Self, ConfigError> {
        let parsed = url::Url::parse(url)
            .map_err(|e| ConfigError(format!("the SMTP URL is not a URL ({e})")))?;
        if !matches!(parsed.scheme(), "smtp" | "smtps") || parsed.host().is_none() {
            return Err(ConfigError(
                "the SMTP URL must be smtp://host:587 or smtps://host:465".into(),
            ));
        }
        let from = from.trim();
        if counterpart_core::person::Email::parse(from).is_err() {
            return Err(ConfigError(format!(
                "{from:?} is not a sender address such as kam@example.com"
            )));
        }
        Ok(Self {
            url: parsed,
            from: from.to_owned(),
        })
    }
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut url = self.url.clone();
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        f.debug_struct("Smtp")
            .field("url", &url.as_str())
            .field("from", &self.from)
            .finish()
    }
}

/// An address or a network (`10.0.0.0/8`, `::1`) whose forwarded headers are believed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustedProxy {
    network: IpAddr,
    prefix: u8,
}

impl FromStr for TrustedProxy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("{text:?} is not an IP address or network such as 10.0.0.0/8"))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {bits}"))?,
            None => bits,
        };
        Ok(Self { network, prefix })
    }
}

impl TrustedProxy {
    /// Whether an address lies in this network.
    pub fn contains(&self, address: IpAddr) -> bool {
        let prefix = u32::from(self.prefix);
        match (self.network, canonical_address(address)) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address that arrived as IPv6 (`::ffff:192.0.2.1`) is the IPv4 address.
pub fn canonical_address(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_with_clear_errors() {
        assert_eq!(
            Config::parse_time_zone("Europe/Berlin").unwrap(),
            chrono_tz::Europe::Berlin
        );
        assert!(
            Config::parse_time_zone("Mars/Olympus")
                .unwrap_err()
                .0
                .contains("not a time zone")
        );
        assert!(Config::parse_public_url("kam.example.com").is_err());
        assert!(Config::parse_public_url("ftp://kam.example.com").is_err());
        assert!(Config::parse_public_url("https://kam.example.com/").is_ok());
        assert!(Smtp::parse("smtp://mail.example.com:587", "kam@example.com").is_ok());
        assert!(Smtp::parse("http://mail.example.com", "kam@example.com").is_err());
        assert!(Smtp::parse("smtp://mail.example.com", "kam").is_err());
        let secret =
            Smtp::parse("smtp://kam:geheim@mail.example.com:587", "kam@example.com").unwrap();
        assert!(
            !format!("{secret:?}").contains("geheim"),
            "the password never reaches a log"
        );
        assert!("::1".parse::<TrustedProxy>().is_ok());
        assert!("fd00::/8".parse::<TrustedProxy>().is_ok());
        assert!(
            "10.0.0.0/33"
                .parse::<TrustedProxy>()
                .unwrap_err()
                .contains("0 to 32")
        );
        assert!(
            "proxy"
                .parse::<TrustedProxy>()
                .unwrap_err()
                .contains("not an IP")
        );
        let any: TrustedProxy = "0.0.0.0/0".parse().unwrap();
        assert!(any.contains("8.8.8.8".parse().unwrap()));
    }
}
