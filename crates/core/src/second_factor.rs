//! The second factor: time-based one-time codes (TOTP, RFC 6238 as every authenticator app
//! speaks it: HMAC-SHA-1, six digits, 30-second steps, one step of clock skew either way) and
//! single-use recovery codes. Pure: the secret's and the recovery codes' random bytes come from
//! the caller, and so does the time.

use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::validate::Problem;

/// Bytes of a TOTP secret: 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Seconds of one time step.
pub const STEP_SECONDS: i64 = 30;
/// How many recovery codes a user is given at once.
pub const RECOVERY_CODES: usize = 10;
/// Random bytes of one recovery code: 80 bits, sixteen base32 characters.
pub const RECOVERY_CODE_BYTES: usize = 10;
/// The longest code input looked at; anything longer is no code.
pub const MAX_CODE_INPUT: usize = 64;

/// A TOTP secret. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

impl TotpSecret {
    /// The secret made of these random bytes.
    pub fn from_bytes(bytes: [u8; SECRET_BYTES]) -> Self {
        Self(bytes.to_vec())
    }

    /// A secret as base32 (as stored, and as typed into an app: spaces and lower case are
    /// fine); it must hold exactly [`SECRET_BYTES`] bytes.
    pub fn parse(text: &str) -> Result<Self, Problem> {
        if text.len() > MAX_CODE_INPUT * 2 {
            return Err(Problem::TooLong {
                max: MAX_CODE_INPUT * 2,
            });
        }
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match Secret::try_from_base32(&compact) {
            Ok(secret) if secret.as_ref().len() == SECRET_BYTES => {
                Ok(Self(secret.as_ref().to_vec()))
            }
            _ => Err(Problem::UnknownChoice),
        }
    }

    /// The secret as base32 without padding (32 characters), as stored.
    pub fn to_base32(&self) -> String {
        Secret::from(self.0.clone()).to_base32()
    }

    /// The base32 text in groups of four, for typing it into an app by hand.
    pub fn grouped(&self) -> String {
        group(&self.to_base32(), ' ')
    }

    fn totp(&self) -> Totp {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(STEP_SECONDS.unsigned_abs())
            .with_secret(self.0.clone())
            .build_noncompliant()
    }

    /// The six-digit code at a moment (seconds since 1970), as an app shows it.
    pub fn code_at(&self, unix_seconds: i64) -> String {
        self.totp()
            .generate(unix_seconds.max(0).unsigned_abs())
            .to_string()
    }

    /// The time step a code matches at `unix_seconds` (the current step or one either side),
    /// if it matches one after `used` — the step of the last code accepted, so that no code is
    /// accepted twice.
    pub fn check(&self, code: &str, unix_seconds: i64, used: Option<i64>) -> Option<i64> {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let now = step_of(unix_seconds);
        (now - 1..=now + 1)
            .filter(|step| used.is_none_or(|used| *step > used))
            .find(|step| same(&self.code_at(step * STEP_SECONDS), code))
    }
}

/// The time step a moment lies in.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// Compares two short codes without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Text in groups of four characters.
fn group(text: &str, separator: char) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A recovery code made of these random bytes, as shown: `ABCD-EFGH-IJKL-MNOP`.
pub fn recovery_code(bytes: [u8; RECOVERY_CODE_BYTES]) -> String {
    group(&Secret::from(bytes.to_vec()).to_base32(), '-')
}

/// What someone typed at the second step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Code {
    /// Six digits from the authenticator app.
    Totp(String),
    /// A recovery code, in the form it is stored (upper case, no dashes or spaces).
    Recovery(String),
}

/// Reads a code as typed: six digits (spaces allowed: "123 456"), or a recovery code
/// (dashes, spaces and case as you like).
pub fn parse_code(input: &str) -> Result<Code, Problem> {
    if input.len() > MAX_CODE_INPUT {
        return Err(Problem::TooLong {
            max: MAX_CODE_INPUT,
        });
    }
    if input.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter);
    }
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.is_empty() {
        return Err(Problem::Required);
    }
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Code::Totp(compact));
    }
    let base32 = |b: u8| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b);
    if compact.len() == 16 && compact.bytes().all(base32) {
        return Ok(Code::Recovery(compact));
    }
    Err(Problem::WrongCode)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(*b"12345678901234567890")
    }

    #[test]
    fn codes_are_those_of_rfc_6238() {
        // The RFC's eight-digit values, of which an app shows the last six.
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(rfc_secret().code_at(time), code, "at {time}");
        }
    }

    #[test]
    fn a_code_matches_one_step_either_side_and_never_twice() {
        let secret = rfc_secret();
        let now = 1_234_567_890;
        let step = step_of(now);
        let code = secret.code_at(now);
        assert_eq!(secret.check(&code, now, None), Some(step));
        assert_eq!(
            secret.check(&code, now + 30, None),
            Some(step),
            "late by a step"
        );
        assert_eq!(
            secret.check(&code, now - 30, None),
            Some(step),
            "early by a step"
        );
        assert_eq!(secret.check(&code, now + 60, None), None, "two steps late");
        assert_eq!(secret.check(&code, now, Some(step)), None, "used already");
        let previous = secret.code_at(now - 30);
        assert_eq!(
            secret.check(&previous, now, Some(step)),
            None,
            "older than the last used"
        );
        assert_eq!(secret.check("12345", now, None), None);
        assert_eq!(secret.check("abcdef", now, None), None);
    }

    #[test]
    fn secrets_read_back_as_typed() {
        let secret = TotpSecret::from_bytes([7; SECRET_BYTES]);
        let text = secret.to_base32();
        assert_eq!(text.len(), 32);
        assert_eq!(TotpSecret::parse(&text), Ok(secret.clone()));
        assert_eq!(
            TotpSecret::parse(&secret.grouped().to_lowercase()),
            Ok(secret.clone())
        );
        assert!(TotpSecret::parse("ABCDEFGH").is_err(), "too short");
        assert!(TotpSecret::parse("not base32 at all!").is_err());
        assert_eq!(format!("{secret:?}"), "TotpSecret(…)");
    }

    #[test]
    fn codes_are_read_as_typed() {
        assert_eq!(parse_code(" 123 456 "), Ok(Code::Totp("123456".into())));
        let recovery = recovery_code([0xAB; RECOVERY_CODE_BYTES]);
        assert_eq!(recovery.len(), 19);
        assert_eq!(recovery.matches('-').count(), 3);
        assert_eq!(
            parse_code(&recovery.to_lowercase()),
            Ok(Code::Recovery(recovery.replace('-', "")))
        );
        assert_eq!(parse_code(""), Err(Problem::Required));
        assert_eq!(parse_code("12345"), Err(Problem::WrongCode));
        assert_eq!(parse_code("12\u{0}3456"), Err(Problem::ControlCharacter));
        assert!(matches!(
            parse_code(&"1".repeat(100)),
            Err(Problem::TooLong { .. })
        ));
    }
}
