//! A small HTTP/1.1 client over plain TCP for the reliability tests: one request per
//! connection, cookies and the CSRF token kept like a browser keeps them. Enough for loopback
//! tests of our own server; nothing else.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// What came back.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> String {
        self.header("location").unwrap_or("").to_owned()
    }

    /// The fields of the form with this action as a browser submits them: inputs with their
    /// values (checkboxes only when checked), the selected option of each select, text areas.
    pub fn form(&self, action: &str) -> Vec<(String, String)> {
        let start = self
            .body
            .find(&format!("action=\"{action}\""))
            .unwrap_or_else(|| panic!("no form {action}:\n{}", self.body));
        let end = self.body[start..]
            .find("</form>")
            .map_or(self.body.len(), |e| e + start);
        let html = &self.body[start..end];
        let mut fields = Vec::new();
        for (at, _) in html.match_indices('<') {
            let tag_end = html[at..].find('>').map_or(html.len(), |e| e + at);
            let tag = &html[at..tag_end];
            let Some(name) = attribute(tag, "name") else {
                continue;
            };
            if tag.starts_with("<input") {
                let kind = attribute(tag, "type").unwrap_or_default();
                if matches!(kind.as_str(), "submit" | "button" | "file")
                    || (matches!(kind.as_str(), "checkbox" | "radio") && !tag.contains(" checked"))
                {
                    continue;
                }
                fields.push((name, attribute(tag, "value").unwrap_or_default()));
            } else if tag.starts_with("<textarea") {
                let close = html[tag_end..]
                    .find("</textarea>")
                    .map_or(tag_end, |e| e + tag_end);
                fields.push((name, unescape(&html[tag_end + 1..close])));
            } else if tag.starts_with("<select") {
                let close = html[tag_end..]
                    .find("</select>")
                    .map_or(tag_end, |e| e + tag_end);
                let options = &html[tag_end..close];
                let chosen = options
                    .split("<option")
                    .skip(1)
                    .find(|o| o.contains(" selected"))
                    .or_else(|| options.split("<option").nth(1))
                    .and_then(|o| attribute(&format!("<option{o}"), "value"))
                    .unwrap_or_default();
                fields.push((name, chosen));
            }
        }
        fields
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').map_or(at + 1, |e| e + at);
        match rest[at + 2..end]
            .parse::<u32>()
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Sends one request and reads the whole response.
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<(&str, &[u8])>,
) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some((content_type, bytes)) = body {
        head.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            bytes.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    if let Some((_, bytes)) = body {
        // The server may answer (413) before reading everything.
        let _ = stream.write_all(bytes);
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].strip_prefix("\r\n").unwrap_or(&rest[n..]);
    }
    out
}

/// Cookies, the page's CSRF token and a language, like a browser.
#[derive(Clone, Debug)]
pub struct Browser {
    pub address: String,
    pub language: String,
    cookies: BTreeMap<String, String>,
    csrf: String,
}

impl Browser {
    pub fn new(address: &str) -> Self {
        Self {
            address: address.to_owned(),
            language: "de".into(),
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let cookies = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        vec![
            ("Cookie", cookies),
            ("Accept-Language", self.language.clone()),
        ]
    }

    fn keep(&mut self, response: Response) -> Response {
        for (name, value) in &response.headers {
            if name.eq_ignore_ascii_case("set-cookie")
                && let Some((pair, _)) = value.split_once(';')
                && let Some((k, v)) = pair.split_once('=')
            {
                if value.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        if let Some(at) = response.body.find("<meta name=\"csrf-token\" content=\"") {
            let start = at + 33;
            self.csrf = response.body[start..start + 64].to_owned();
        }
        response
    }

    pub fn get(&mut self, path: &str) -> Response {
        let response = request(&self.address, "GET", path, &self.headers(), None);
        self.keep(response)
    }

    /// Posts a form with the current CSRF token.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let body = all
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = request(
            &self.address,
            "POST",
            path,
            &self.headers(),
            Some(("application/x-www-form-urlencoded", body.as_bytes())),
        );
        self.keep(response)
    }

    /// Uploads a file as the import form does: the CSRF token first, then the file.
    pub fn upload(&mut self, path: &str, filename: &str, content: &[u8]) -> Response {
        let boundary = "----cp-reliability";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n",
            self.csrf
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let response = request(
            &self.address,
            "POST",
            path,
            &self.headers(),
            Some((&content_type, &body)),
        );
        self.keep(response)
    }

    /// Logs in and loads the home page (for the session's CSRF token).
    pub fn login(&mut self, username: &str, password: &str) {
        self.get("/login");
        let done = self.post(
            "/login",
            &[
                ("username", username),
                ("password", password),
                ("next", "/"),
            ],
        );
        let said = done
            .body
            .split("<main")
            .nth(1)
            .unwrap_or(&done.body)
            .chars()
            .take(600)
            .collect::<String>();
        assert_eq!(done.status, 303, "login as {username}: {said}");
        self.get("/");
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
