//! A QR code as SVG path data, drawn on the server (the second factor's set-up page): one
//! square per dark module, in one `<path>`, so the page needs no script and no image from
//! elsewhere. The template writes the path into an SVG with a quiet zone of four modules.

use qrcodegen::{QrCode, QrCodeEcc};

/// A QR code ready for the template.
#[derive(Clone, Debug)]
pub(crate) struct Qr {
    /// Modules per side, the quiet zone of four on each side included.
    pub(crate) size: i32,
    /// SVG path data of the dark modules (`M x y h1 v1 h-1 z` each), offset by the quiet zone.
    pub(crate) path: String,
}

/// The QR code of `text`, or `None` when it does not fit in a QR code.
pub(crate) fn qr(text: &str) -> Option<Qr> {
    const QUIET: i32 = 4;
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::with_capacity((size * size * 8).unsigned_abs() as usize);
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                if !path.is_empty() {
                    path.push(' ');
                }
                path.push_str(&format!("M{} {}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    Some(Qr {
        size: size + 2 * QUIET,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_totp_address_fits_and_has_the_finder_patterns() {
        let code = qr(
            "otpauth://totp/Counterpart:krueger?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\
                       &issuer=Counterpart&algorithm=SHA1&digits=6&period=30",
        )
        .unwrap();
        assert!(code.size >= 21 + 8);
        // The top-left finder pattern's corner module is dark.
        assert!(code.path.starts_with("M4 4h1v1h-1z"));
        assert!(code.path.chars().all(|c| "Mhvz -0123456789".contains(c)));
    }
}
